"""The schedule: regions spread over their interval, the same grid in every process, bounded runs."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from sqlalchemy import select

from hub.domain.reference import regions_by_code
from hub.domain.sla import ServiceLevels
from hub.simulators.faults import FaultConfig
from hub.store.sync_models import SyncRun
from hub.sync.scheduler import SyncScheduler, interval_trigger, phase
from tests.e2e.regional import regions

NOW = datetime(2026, 10, 5, 8, 0, 17, tzinfo=UTC)


def test_550_regions_on_a_minute_are_spread_over_the_minute_the_same_way_in_every_process():
    codes = sorted(regions_by_code())[:550]
    assert len(codes) == 550
    fires = [interval_trigger(code, 60).get_next_fire_time(None, NOW) for code in codes]
    again = [interval_trigger(code, 60).get_next_fire_time(None, NOW) for code in codes]
    assert fires == again  # another process, the same grid: their locks meet at the same moment
    assert all(NOW <= fire < NOW + timedelta(seconds=60) for fire in fires)
    per_second = Counter(int((fire - NOW).total_seconds()) for fire in fires)
    assert len(per_second) == 60 and max(per_second.values()) <= 25  # about 9 a second, never all at :00
    assert all(0 <= phase(code) < 1 for code in codes)
    following = [interval_trigger(code, 60).get_next_fire_time(fire, fire) for code, fire in zip(codes, fires, strict=True)]
    assert all(b - a == timedelta(seconds=60) for a, b in zip(fires, following, strict=True))


def test_after_a_first_run_off_the_grid_every_process_comes_back_to_the_same_grid(monkeypatch):
    from hub.sync.scheduler import slot_of

    monkeypatch.setenv("SIM_KEY", "sim-key")
    trigger = interval_trigger("19.71", 60)
    grid = trigger.get_next_fire_time(None, NOW)
    region = _registry_region()
    for started_apart in (0.2, 7.3, 41.0):  # processes started at different moments spread their first runs apart
        first = NOW + timedelta(seconds=started_apart)
        following = trigger.get_next_fire_time(first, first)
        assert following > first and (following - grid).total_seconds() % 60 == 0  # back on the shared grid
        assert slot_of(region, following) == following  # so every process claims the slot it fires for
        assert trigger.get_next_fire_time(following, following) == following + timedelta(seconds=60)


def _registry_region():
    from hub.connectors.registry import parse_registry
    from hub.simulators.region_file import rest_entry

    entry = rest_entry("19.71", "http://127.0.0.1:9", api_key_env="SIM_KEY", interval_seconds=60)
    return parse_registry({"regions": [entry]}).regions[0]


async def test_a_process_runs_no_more_regions_at_once_than_its_concurrency(engine, monkeypatch):
    with regions(monkeypatch, complaints=30, faults=FaultConfig(latency_ms=60)) as (_found, registry):
        for region in registry.regions:
            region.schedule.interval_seconds = 1
        scheduler = SyncScheduler(engine, registry, levels=ServiceLevels(), concurrency=1)
        scheduler.start()
        try:
            for _ in range(200):
                await asyncio.sleep(0.1)
                async with engine.connect() as connection:
                    done = (await connection.execute(select(SyncRun).where(SyncRun.finished_at.is_not(None)))).all()
                if {r.region_code for r in done} == {r.code for r in registry.regions}:
                    break
        finally:
            await scheduler.shutdown()
        async with engine.connect() as connection:
            runs = sorted((await connection.execute(select(SyncRun))).all(), key=lambda r: r.started_at)
        assert {r.region_code for r in runs if r.finished_at} == {r.code for r in registry.regions}
        finished = [r for r in runs if r.finished_at is not None]
        for earlier, later in pairwise(finished):
            assert later.started_at >= earlier.finished_at, f"runs {earlier.id} and {later.id} overlap"


async def test_a_slot_is_claimed_once_across_processes_and_only_forward(engine):
    from hub.sync.locks import claim_slot

    slot = datetime(2026, 10, 5, 8, 0, 12, 345000, tzinfo=UTC)
    assert await claim_slot(engine, "slot:rest:19.71", slot)
    assert not await claim_slot(engine, "slot:rest:19.71", slot)  # the other worker, a moment later
    assert not await claim_slot(engine, "slot:rest:19.71", slot - timedelta(seconds=60))
    assert await claim_slot(engine, "slot:rest:61.71", slot)  # another region
    assert await claim_slot(engine, "slot:rest:19.71", slot + timedelta(seconds=1))


async def test_a_busy_process_claims_no_slot_and_drops_a_run_whose_next_slot_another_worker_ran(engine, monkeypatch):
    from hub.sync.locks import claim_slot
    from hub.sync.scheduler import slot_of

    with regions(monkeypatch, complaints=5, kinds=("rest",)) as (_found, registry):
        (region,) = registry.regions
        region.schedule.interval_seconds = 60
        scheduler = SyncScheduler(engine, registry, levels=ServiceLevels(), concurrency=1)
        scheduler._slots = asyncio.Semaphore(1)
        await scheduler._slots.acquire()  # its one place is taken by a long run
        waiting = asyncio.create_task(scheduler._scheduled(region))
        await asyncio.sleep(0.2)
        slot = slot_of(region, datetime.now(UTC))
        assert await claim_slot(engine, f"slot:{region.source_system}", slot)  # the busy one had not claimed it
        assert await claim_slot(engine, f"slot:{region.source_system}", slot + timedelta(seconds=60))  # and the next
        scheduler._slots.release()
        await asyncio.wait_for(waiting, 10)
        async with engine.connect() as connection:
            assert (await connection.execute(select(SyncRun))).all() == []  # its stale turn was dropped
        await scheduler.shutdown()
