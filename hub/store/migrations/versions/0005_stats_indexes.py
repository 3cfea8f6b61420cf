"""indexes for statistics and rankings

Revision ID: 0005_stats
Revises: 0004_outbox

``(region_code, status, created_at)`` serves statistics and rankings filtered by
a province's regions (an ``IN`` list) and a period: the planner reads only the
matching index range, and status is at hand for the completion counts.
"""

from __future__ import annotations

from alembic import op

revision = "0005_stats"
down_revision = "0004_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_complaints_region_status_created", "complaints", ["region_code", "status", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_complaints_region_status_created", table_name="complaints")
