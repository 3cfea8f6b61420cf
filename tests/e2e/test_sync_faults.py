"""Sync under faults: 5xx, hangs, malformed records, repeats, clock skew."""

from __future__ import annotations

from sqlalchemy import select

from hub.domain.sla import ServiceLevels
from hub.simulators.faults import FaultConfig, Faults
from hub.store.sync_models import RejectedRecord, RunStatus
from hub.sync.runs import PullRun
from tests.e2e.regional import assert_matches, expected, national, regions

FAULTS = FaultConfig(error_rate=0.2, hang_rate=0.04, hang_seconds=3, malformed_rate=0.08, repeat_across_pages=True)


async def sync_until_done(engine, registry, attempts: int = 4, *, full: bool = False) -> None:
    for region in registry.regions:
        for _ in range(attempts):
            report = await PullRun(engine, region, levels=ServiceLevels(), full=full).execute()
            if report.status is RunStatus.SUCCEEDED:
                break
        else:
            raise AssertionError(f"region {region.code} never synced: {report.error}")


async def rejections(engine) -> list[RejectedRecord]:
    async with engine.connect() as connection:
        return list((await connection.execute(select(RejectedRecord))).all())


async def test_sync_converges_under_faults_and_lists_every_malformed_record(engine, monkeypatch):
    with regions(monkeypatch, faults=FAULTS) as (found, registry):
        await sync_until_done(engine, registry)
        for region in found.values():
            region.faults(clock_skew_seconds=120)  # the region's clock runs two minutes ahead
            region.tick(8)
            region.faults(clock_skew_seconds=-60)  # then behind
            region.tick(4)
        await sync_until_done(engine, registry)

        malformed: dict[str, set[str]] = {}
        for kind, region in found.items():
            faults = Faults(FAULTS, seed=7)
            want = expected(region)
            bad = {source_id for source_id in want if faults.malformation(int(source_id))}
            malformed[region.source_system] = bad
            have = await national(engine, region.source_system)
            good = set(want) - bad
            assert good <= set(have), f"{kind}: well-formed records missing: {good - set(have)}"
            for source_id in good:
                assert have[source_id][:2] == want[source_id][:2], f"{kind} {source_id}"
        rejected = [r for r in await rejections(engine) if r.resolved_at is None]
        listed: dict[str, set[str]] = {}
        for row in rejected:
            listed.setdefault(row.source_system, set()).add(row.source_id)
            assert row.reason and row.raw and row.count >= 1
            assert any(word in row.reason for word in ("field", "columns", "UTF-8")), row.reason
        for system, bad in malformed.items():
            never_applied = bad - set(await national(engine, system))
            assert never_applied <= listed.get(system, set()), f"{system}: malformed but not listed: {never_applied - listed.get(system, set())}"
        assert sum(len(b) for b in malformed.values()) > 0

        for region in found.values():  # the regions repair their data; the periodic full re-read picks it up
            region.faults(error_rate=0, hang_rate=0, malformed_rate=0, repeat_across_pages=False, clock_skew_seconds=0)
        await sync_until_done(engine, registry, attempts=1, full=True)
        for region in found.values():
            await assert_matches(engine, region)
        assert all(r.resolved_at is not None for r in await rejections(engine))
