"""Keeping the run table bounded: 550 regions a minute add about 792,000 runs a day.

:func:`prune_sync_runs` drops finished runs started before the retention
(``HUB_SYNC_RUN_RETENTION_DAYS``), in batches so that no transaction holds the
table long, and keeps what the hub still reads whatever its age: each regional
app's latest run (``Connector.lastRun``) and its latest full run that
succeeded (when the next full re-read is due). The scheduler's
``sync-runs-prune`` job runs it every hour.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.store.sync_models import RunStatus, SyncRun

BATCH = 10_000  # runs deleted per transaction


async def prune_sync_runs(engine: AsyncEngine, *, older_than: datetime, batch: int = BATCH) -> int:
    """Drop finished runs started before ``older_than`` but those the hub still reads; the number dropped."""
    latest = select(func.max(SyncRun.id)).group_by(SyncRun.source_system)
    latest_full = (select(func.max(SyncRun.id))
                   .where(SyncRun.full.is_(True), SyncRun.status == RunStatus.SUCCEEDED)
                   .group_by(SyncRun.source_system))
    doomed = (select(SyncRun.id)
              .where(SyncRun.started_at < older_than, SyncRun.status != RunStatus.RUNNING,
                     SyncRun.id.not_in(latest), SyncRun.id.not_in(latest_full))
              .limit(batch))
    dropped = 0
    while True:
        async with engine.begin() as connection:
            result = await connection.execute(delete(SyncRun).where(SyncRun.id.in_(doomed)))
        count = int(result.rowcount or 0)
        dropped += count
        if count < batch:
            return dropped


__all__ = ["prune_sync_runs"]
