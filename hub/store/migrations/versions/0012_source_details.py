"""a complaint's source copy keeps what the source says beyond the national fields

Revision ID: 0012_source_details
Revises: 0011_privacy
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_source_details"
down_revision = "0011_privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("complaint_sources") as batch:
        batch.add_column(sa.Column("details", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("complaint_sources") as batch:
        batch.drop_column("details")
