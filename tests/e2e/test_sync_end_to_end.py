"""Full then incremental sync of all three families against real simulators."""

from __future__ import annotations

from sqlalchemy import func, select

from hub.domain.sla import ServiceLevels
from hub.store.models import Complaint, ComplaintSource
from hub.store.sync_models import RunStatus
from hub.sync.runs import PullRun
from tests.e2e.regional import assert_matches, regions


async def sync_all(engine, registry, *, full: bool = False) -> list:
    reports = []
    for region in registry.regions:
        reports.append(await PullRun(engine, region, levels=ServiceLevels(), full=full).execute())
    return reports


async def test_full_then_incremental_sync_equals_every_regions_ground_truth(engine, monkeypatch):
    with regions(monkeypatch) as (found, registry):
        reports = await sync_all(engine, registry, full=True)
        assert [r.status for r in reports] == [RunStatus.SUCCEEDED] * 3, [r.error for r in reports]
        assert reports[0].pages > 1  # paged, 15 at a time
        for region in found.values():
            await assert_matches(engine, region)

        for region in found.values():
            region.tick(12)  # new complaints, status changes and follow-ups
        reports = await sync_all(engine, registry)
        assert all(r.status is RunStatus.SUCCEEDED for r in reports)
        assert sum(r.created + r.updated for r in reports) > 0
        for region in found.values():
            await assert_matches(engine, region)

        again = await sync_all(engine, registry)
        assert sum(r.created + r.updated for r in again) == 0  # nothing new: nothing applied

    async with engine.connect() as connection:
        complaints = (await connection.execute(select(func.count()).select_from(Complaint))).scalar_one()
        sources = (await connection.execute(select(func.count()).select_from(ComplaintSource))).scalar_one()
    assert complaints == sources  # one complaint per regional record, none twice
