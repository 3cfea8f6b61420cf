"""the scheduled moment (slot) each run was for, run once per region

Revision ID: 0021_sync_run_slot
Revises: 0020_scale_run_lookups

A scheduled run records the grid moment it claimed (:func:`hub.sync.locks.claim_slot`).
A unique index on ``(source_system, slot)`` makes "no region runs twice in one
interval, however many workers" a rule of the table, and lets anyone check it
from the run history. Manual and CLI runs have no slot (NULLs never collide).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hub.store.types

revision = "0021_sync_run_slot"
down_revision = "0020_scale_run_lookups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_runs") as batch:
        batch.add_column(sa.Column("slot", hub.store.types.UTCDateTime(), nullable=True))
    op.create_index("ux_sync_runs_source_slot", "sync_runs", ["source_system", "slot"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_sync_runs_source_slot", table_name="sync_runs")
    with op.batch_alter_table("sync_runs") as batch:
        batch.drop_column("slot")
