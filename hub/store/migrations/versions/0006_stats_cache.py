"""statistics cache

Revision ID: 0006_stats_cache
Revises: 0005_stats

Statistics that are slow to compute at national scale are kept here for a
few minutes (see ``hub.store.stats_cache``), shared by every hub process.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hub.store.types

revision = "0006_stats_cache"
down_revision = "0005_stats"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stats_cache",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("computed_at", hub.store.types.UTCDateTime(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_stats_cache")),
    )


def downgrade() -> None:
    op.drop_table("stats_cache")
