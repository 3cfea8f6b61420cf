"""reference data: Kemendagri regions and national categories

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hub.domain.reference import NATIONAL_CATEGORIES, region_rows

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

regions = sa.table(
    "regions",
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("level", sa.String),
    sa.column("parent_code", sa.String),
)
categories = sa.table(
    "categories",
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("resolve_days", sa.Integer),
)


def upgrade() -> None:
    rows = sorted(region_rows(), key=lambda r: (r.parent_code is not None, r.code))
    op.bulk_insert(
        regions,
        [{"code": r.code, "name": r.name, "level": r.level.value, "parent_code": r.parent_code} for r in rows],
    )
    op.bulk_insert(
        categories,
        [{"code": c.code, "name": c.name, "resolve_days": c.resolve_days} for c in NATIONAL_CATEGORIES],
    )


def downgrade() -> None:
    op.execute(categories.delete())
    op.execute(regions.delete())
