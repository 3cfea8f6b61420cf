"""lifecycle clocks: when a postponement began, breach events, copies left by a transfer, settled duplicate flags

Revision ID: 0010_lifecycle_clocks
Revises: 0009_search

A complaint postponed before this revision gets ``postponed_at`` from the
latest timeline event that moved it to POSTPONED, so its pause is credited
when it resumes. Breaches the deadline job recorded as comments become
DEADLINE_BREACHED events.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hub.store.types

revision = "0010_lifecycle_clocks"
down_revision = "0009_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE (SQLite 3.35+ drops columns too): a batch copy of complaints would trip its foreign keys
    op.add_column("complaints", sa.Column("postponed_at", hub.store.types.UTCDateTime(), nullable=True))
    with op.batch_alter_table("complaint_sources") as batch:
        batch.add_column(sa.Column("transferred_at", hub.store.types.UTCDateTime(), nullable=True))
    with op.batch_alter_table("duplicate_flags") as batch:
        batch.add_column(sa.Column("resolution", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("resolved_by", sa.String(length=200), nullable=True))
    op.execute(
        "UPDATE complaints SET postponed_at = (SELECT MAX(e.occurred_at) FROM timeline_events e "
        "WHERE e.complaint_id = complaints.id AND e.to_status = 'POSTPONED') WHERE status = 'POSTPONED'"
    )
    op.execute(
        "UPDATE timeline_events SET kind = 'DEADLINE_BREACHED' WHERE kind = 'COMMENT' "
        "AND source_system = 'lapor-hub' AND source_event_id LIKE 'breach:%'"
    )


def downgrade() -> None:
    op.execute("UPDATE timeline_events SET kind = 'COMMENT' WHERE kind IN ('DEADLINE_BREACHED', 'TRANSFERRED')")
    with op.batch_alter_table("duplicate_flags") as batch:
        batch.drop_column("resolved_by")
        batch.drop_column("resolution")
    with op.batch_alter_table("complaint_sources") as batch:
        batch.drop_column("transferred_at")
    op.drop_column("complaints", "postponed_at")
