"""escalation: the level a breached deadline climbed to, so lists and the per-region view can filter on it

Revision ID: 0015_escalation
Revises: 0014_deadline_indexes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hub.store.types

revision = "0015_escalation"
down_revision = "0014_deadline_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE (as 0010): a batch copy of complaints would trip its foreign keys on SQLite
    op.add_column("complaints", sa.Column("escalation_level", sa.String(length=32), nullable=False,
                                          server_default="NONE"))
    op.add_column("complaints", sa.Column("escalation_deadline", sa.String(length=16), nullable=True))
    op.add_column("complaints", sa.Column("escalated_at", hub.store.types.UTCDateTime(), nullable=True))
    op.add_column("complaints", sa.Column("escalation_next_at", hub.store.types.UTCDateTime(), nullable=True))
    op.create_index("ix_complaints_escalation_next_at", "complaints", ["escalation_next_at"])
    op.create_index("ix_complaints_escalation_region", "complaints", ["escalation_level", "region_code"])


def downgrade() -> None:
    op.drop_index("ix_complaints_escalation_region", table_name="complaints")
    op.drop_index("ix_complaints_escalation_next_at", table_name="complaints")
    op.execute("UPDATE timeline_events SET kind = 'COMMENT' WHERE kind = 'ESCALATED'")
    op.drop_column("complaints", "escalation_next_at")
    op.drop_column("complaints", "escalated_at")
    op.drop_column("complaints", "escalation_deadline")
    op.drop_column("complaints", "escalation_level")
