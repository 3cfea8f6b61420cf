"""Full re-reads: the first run of a region is full, a running server re-reads in full every
``full_resync_hours`` by itself, and ``triggerSync(full: true)`` asks for one."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import Role
from hub.simulators.region_file import rest_entry, write_region_file
from hub.store.database import session_factory
from hub.store.sync_models import RunStatus, SyncRun
from hub.sync.runs import PullRun, due_for_full_resync
from tests.e2e.regional import API_KEY_ENV, regions
from tests.hubclient import hub_client
from tests.sync_api.test_sync_fields import unscheduled_hub

TRIGGER = """mutation($code: String!, $full: Boolean!) {
  triggerSync(regionCode: $code, full: $full) { ... on TriggerSyncPayload { run { id status trigger full created unchanged } } } }"""


async def runs(engine) -> list[SyncRun]:
    async with session_factory(engine)() as session:
        return list(await session.scalars(select(SyncRun).order_by(SyncRun.id)))


async def test_the_first_run_is_full_and_the_next_full_one_is_due_after_the_setting(engine, monkeypatch):
    with regions(monkeypatch, complaints=5, kinds=("rest",)) as (_, registry):
        region = registry.regions[0]
        assert await due_for_full_resync(engine, region)  # never read in full
        await PullRun(engine, region, levels=ServiceLevels()).execute()  # nobody asked for full
        await PullRun(engine, region, levels=ServiceLevels()).execute()
        assert [(r.full, r.status) for r in await runs(engine)] == [(True, RunStatus.SUCCEEDED), (False, RunStatus.SUCCEEDED)]
        hours = region.full_resync_hours
        assert hours == 24
        assert not await due_for_full_resync(engine, region)
        assert not await due_for_full_resync(engine, region, now=datetime.now(UTC) + timedelta(hours=23))
        assert await due_for_full_resync(engine, region, now=datetime.now(UTC) + timedelta(hours=25))
        never = region.model_copy(update={"full_resync_hours": None})
        assert not await due_for_full_resync(engine, never, now=datetime.now(UTC) + timedelta(days=365))


async def test_a_running_server_rereads_a_region_in_full_without_any_command(engine, database_url, monkeypatch, tmp_path):
    with regions(monkeypatch, complaints=5, kinds=("rest",)) as (found, _):
        # every second a run; a full one once 2 s (0.0006 h) have passed since the last full one
        regions_file = write_region_file(tmp_path / "regions.yaml", [
            rest_entry("19.71", found["rest"].base_url, api_key_env=API_KEY_ENV, interval_seconds=1,
                       full_resync_hours=0.0006)])
        async with hub_client(database_url, schedule=True, regions_file=str(regions_file)):
            for _ in range(300):  # until the scheduler has re-read in full after incremental runs
                done = [r for r in await runs(engine) if r.status is RunStatus.SUCCEEDED]
                fulls = [i for i, r in enumerate(done) if r.full]
                if len(fulls) >= 2 and fulls[0] == 0 and fulls[1] - fulls[0] > 1:
                    break
                await asyncio.sleep(0.1)
        done = [r for r in await runs(engine) if r.status is RunStatus.SUCCEEDED]
        assert done[0].full and done[0].created == 5  # the first run read everything
        assert not done[1].full  # then only what changed
        later = [r for r in done[2:] if r.full]
        assert later and all(r.trigger == "schedule" for r in later)
        assert later[0].created == 0  # read again in full, nothing doubled


async def test_trigger_sync_can_ask_for_a_full_reread(engine, database_url, monkeypatch, tmp_path):
    with regions(monkeypatch, complaints=5, kinds=("rest",)) as (found, _):
        regions_file = write_region_file(tmp_path / "regions.yaml", [
            rest_entry("19.71", found["rest"].base_url, api_key_env=API_KEY_ENV, interval_seconds=60)])
        async with unscheduled_hub(database_url, regions_file) as hub:
            admin = hub.token(Role.REGION_ADMIN, region_codes=["19.71"])
            first = (await hub.query(TRIGGER, {"code": "19.71", "full": False}, token=admin))["triggerSync"]["run"]
            second = (await hub.query(TRIGGER, {"code": "19.71", "full": False}, token=admin))["triggerSync"]["run"]
            third = (await hub.query(TRIGGER, {"code": "19.71", "full": True}, token=admin))["triggerSync"]["run"]
        assert (first["full"], first["created"]) == (True, 5)  # the first run of a region is full anyway
        assert second["full"] is False
        assert (third["full"], third["status"], third["trigger"]) == (True, "SUCCEEDED", "MANUAL")
        assert third["created"] == 0 and third["unchanged"] >= 5
