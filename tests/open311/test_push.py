"""Hub-made status changes and follow-ups reach a region that speaks the
mySociety updates extension exactly once, through its outage, and come back
on the next pull as the same events, not new ones; a region with no way to
write them gets them as manual work."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hub.connectors.registry import parse_registry
from hub.domain.vocabulary import EventKind, Role
from hub.simulators.region_file import write_region_file
from hub.store.database import session_factory
from hub.store.models import Complaint, ComplaintSource, TimelineEvent
from hub.store.outbox_models import OutboxRow, OutboxStatus
from hub.store.sync_models import RunStatus
from hub.store.types import utcnow
from hub.sync.outbox import Dispatcher, RetryPolicy
from tests.hubclient import hub_client
from tests.mutations.helpers import DISPOSITION, FOLLOW_UP, VERIFY, add_agency, global_id, run
from tests.open311.servers import open311_region, pull

TEXT = "Petugas meninjau lokasi hari ini."


def region_file(tmp_path, config) -> str:
    return str(write_region_file(tmp_path / "regions.yaml", [config.model_dump(mode="json", exclude_none=True)]))


async def outbox(engine) -> list[OutboxRow]:
    async with session_factory(engine)() as session:
        return list((await session.scalars(select(OutboxRow).order_by(OutboxRow.id))).all())


async def new_complaint(engine, source_system: str) -> tuple[str, str]:
    """(tracking id, regional id) of a pulled complaint still waiting for verification."""
    async with session_factory(engine)() as session:
        row = (await session.execute(
            select(Complaint.tracking_id, ComplaintSource.source_id)
            .join(ComplaintSource, ComplaintSource.complaint_id == Complaint.id)
            .where(ComplaintSource.source_system == source_system, Complaint.status == "SUBMITTED")
            .order_by(Complaint.id).limit(1))).one()
    return row.tracking_id, row.source_id


async def test_status_changes_and_follow_ups_arrive_once_through_an_outage_and_come_back_as_the_same_events(
        engine, database_url, monkeypatch, tmp_path):
    with open311_region(monkeypatch, flavour="mysociety", complaints=15) as (region, config):
        assert (await pull(engine, config, full=True)).status is RunStatus.SUCCEEDED
        tracking, request_id = await new_complaint(engine, region.source_system)
        agency = await add_agency(engine, "61.71", "Dinas PUPR Kota Pontianak")
        async with hub_client(database_url, schedule=False, regions_file=region_file(tmp_path, config)) as hub:
            admin = hub.token(Role.REGION_ADMIN, region_codes=["61.71"], subject="admin.pontianak")
            region.faults(error_rate=1.0)  # the regional server is down
            assert (await run(hub, VERIFY, admin, id=tracking))["__typename"] == "ComplaintPayload"
            assert (await run(hub, DISPOSITION, admin, id=tracking, agency=global_id("Agency", agency)))["__typename"] == "ComplaintPayload"
            assert (await run(hub, FOLLOW_UP, admin, id=tracking, text=TEXT))["__typename"] == "ComplaintPayload"

        dispatcher = Dispatcher(engine, _registry(config), policy=RetryPolicy(max_attempts=50, base_seconds=1, cap_seconds=60))
        later = utcnow()
        for _ in range(3):
            later += timedelta(hours=1)
            await dispatcher.run_once(now=later)
        rows = await outbox(engine)
        assert len(rows) == 3 and all(row.status is OutboxStatus.PENDING for row in rows) and rows[0].attempts >= 3

        # back, failing now and then, and sometimes answering only after the client gave up
        region.faults(error_rate=0.3, hang_rate=0.2, hang_seconds=6)
        for _ in range(60):
            later += timedelta(hours=1)
            await dispatcher.run_once(now=later)
            if all(row.status is OutboxStatus.DELIVERED for row in await outbox(engine)):
                break
        rows = await outbox(engine)
        assert [row.status for row in rows] == [OutboxStatus.DELIVERED] * 3
        region.faults(error_rate=0, hang_rate=0)

        request = next(r for r in region.ground_truth() if r["service_request_id"] == request_id)
        posted = [u for u in request["updates"] if u.get("client_update_id")]
        assert [u["client_update_id"] for u in posted] == [row.idempotency_key for row in rows]  # once each, in order
        assert [u["status"] for u in posted] == ["investigating", "internal_referral", "in_progress"]
        assert posted[-1]["description"] == TEXT
        assert [u["update_id"] for u in posted] == [row.regional_event_id for row in rows]
        assert request["local_status"] == "dikerjakan"

        async with session_factory(engine)() as session:
            complaint = await session.scalar(select(Complaint).where(Complaint.tracking_id == tracking))
            before = list(await session.scalars(select(TimelineEvent.id).where(TimelineEvent.complaint_id == complaint.id)))
        report = await pull(engine, config)
        assert report.status is RunStatus.SUCCEEDED, report.error
        async with session_factory(engine)() as session:
            events = list(await session.scalars(select(TimelineEvent).where(TimelineEvent.complaint_id == complaint.id)))
            status = await session.scalar(select(Complaint.status).where(Complaint.id == complaint.id))
        follow_ups = [e.text for e in events if e.kind is EventKind.FOLLOW_UP]
        assert follow_ups == [TEXT]  # the hub's own, not again from the region
        assert not [e for e in events if e.id not in before and e.kind is EventKind.FOLLOW_UP]
        assert status == "IN_PROGRESS"


async def test_a_region_with_no_way_to_write_updates_gets_manual_work(engine, database_url, monkeypatch, tmp_path):
    with open311_region(monkeypatch, flavour="georeport", complaints=6) as (region, config):
        assert (await pull(engine, config, full=True)).status is RunStatus.SUCCEEDED
        tracking, _ = await new_complaint(engine, region.source_system)
        async with hub_client(database_url, schedule=False, regions_file=region_file(tmp_path, config)) as hub:
            admin = hub.token(Role.REGION_ADMIN, region_codes=["61.71"], subject="admin.pontianak")
            assert (await run(hub, VERIFY, admin, id=tracking))["__typename"] == "ComplaintPayload"
        await Dispatcher(engine, _registry(config)).run_once(now=utcnow() + timedelta(minutes=1))
        rows = await outbox(engine)
        assert [row.status for row in rows] == [OutboxStatus.MANUAL]
        assert "takes no verify changes; enter it by hand" in rows[0].last_error


def _registry(config):
    return parse_registry({"regions": [config.model_dump(mode="json", exclude_none=True)]})
