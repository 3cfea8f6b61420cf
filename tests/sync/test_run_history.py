"""The run table stays bounded: old runs go, what the hub still reads stays."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hub.store.database import session_factory
from hub.store.sync_history import prune_sync_runs
from hub.store.sync_models import RunStatus, SyncRun
from hub.store.types import utcnow


def _run(region: str, days_ago: float, status: RunStatus = RunStatus.SUCCEEDED, *, full: bool = False) -> SyncRun:
    started = utcnow() - timedelta(days=days_ago)
    return SyncRun(region_code=region, source_system=f"rest:{region}", trigger="schedule", full=full, status=status,
                   started_at=started, finished_at=None if status is RunStatus.RUNNING else started)


async def test_old_runs_are_pruned_but_each_regions_latest_and_latest_full_run_stay(engine):
    runs = {
        "full, old, the region's latest successful full run": _run("19.71", 200, full=True),
        "old": _run("19.71", 150),
        "old, failed": _run("19.71", 120, RunStatus.FAILED),
        "old, still marked running": _run("19.71", 100, RunStatus.RUNNING),
        "recent": _run("19.71", 3),
        "recent, the region's latest": _run("19.71", 1),
        "older full run of another region": _run("61.71", 300, full=True),
        "another region's only other run, old": _run("61.71", 250, full=True, status=RunStatus.FAILED),
        "another region's latest, old": _run("61.71", 200),
    }
    async with session_factory(engine)() as session, session.begin():
        session.add_all(runs.values())
    ids = {name: run.id for name, run in runs.items()}

    dropped = await prune_sync_runs(engine, older_than=utcnow() - timedelta(days=90), batch=2)

    async with engine.connect() as connection:
        kept = set((await connection.execute(select(SyncRun.id))).scalars())
    assert {name for name, run_id in ids.items() if run_id in kept} == {
        "full, old, the region's latest successful full run", "old, still marked running", "recent",
        "recent, the region's latest", "older full run of another region", "another region's latest, old",
    }
    assert dropped == 3
    assert await prune_sync_runs(engine, older_than=utcnow() - timedelta(days=90)) == 0
