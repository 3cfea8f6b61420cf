"""an index for the per-run lookups of the run table, which grows by a row per region per interval

Revision ID: 0020_scale_run_lookups
Revises: 0019_backfill_duplicate_lookup

Every scheduled run marks its region's runs left RUNNING by a dead process as
INTERRUPTED, and asks when its region's last full run succeeded; both filter
on ``source_system``, which no index covered, so each run read the whole run
table (550 regions a minute add 792,000 rows a day). One index on
``(source_system, status, full, started_at)`` answers both from a few entries
however long the history grows.
"""

from __future__ import annotations

from alembic import op

revision = "0020_scale_run_lookups"
down_revision = "0019_backfill_duplicate_lookup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_sync_runs_source_status", "sync_runs", ["source_system", "status", "full", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_sync_runs_source_status", table_name="sync_runs")
