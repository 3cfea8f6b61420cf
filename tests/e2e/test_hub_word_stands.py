"""The hub's word stands until the region has heard it (issue 12): over HTTP against the REST simulator."""

from __future__ import annotations

from sqlalchemy import select

from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import EventKind, Role, Status
from hub.store.database import session_factory
from hub.store.models import Complaint, ComplaintSource, TimelineEvent
from hub.store.outbox_models import OutboxRow, OutboxStatus
from hub.sync.outbox import Dispatcher
from hub.sync.runs import PullRun
from tests.e2e.regional import regions
from tests.e2e.test_write_path import region_file
from tests.hubclient import hub_client
from tests.mutations.helpers import DISPOSITION, add_agency, global_id, run


async def verified_from_region(engine, source_system: str) -> str:
    async with session_factory(engine)() as session:
        found = await session.scalar(
            select(Complaint.tracking_id).join(ComplaintSource, ComplaintSource.complaint_id == Complaint.id)
            .where(ComplaintSource.source_system == source_system, Complaint.status == Status.VERIFIED)
            .order_by(Complaint.id).limit(1))
    assert found is not None, "the seeded region has a verified complaint"
    return found


async def status_and_conflicts(engine, tracking_id: str) -> tuple[Status, int]:
    async with session_factory(engine)() as session:
        complaint = await session.scalar(select(Complaint).where(Complaint.tracking_id == tracking_id))
        conflicts = list(await session.scalars(select(TimelineEvent).where(
            TimelineEvent.complaint_id == complaint.id, TimelineEvent.kind == EventKind.CONFLICT)))
        return complaint.status, len(conflicts)


async def test_a_disposition_in_the_rest_region_survives_the_pulls_that_follow(engine, database_url, monkeypatch, tmp_path):
    with regions(monkeypatch, complaints=30, kinds=("rest",)) as (found, registry):
        rest = registry.regions[0]
        pull = lambda: PullRun(engine, rest, levels=ServiceLevels()).execute()  # noqa: E731
        await pull()
        tracking = await verified_from_region(engine, found["rest"].source_system)
        agency = await add_agency(engine, "19.71")
        async with hub_client(database_url, schedule=False, regions_file=region_file(tmp_path, registry)) as hub:
            admin = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
            answer = await run(hub, DISPOSITION, admin, id=tracking, agency=global_id("Agency", agency))
            assert answer["complaint"]["status"] == "DISPOSITIONED"

            await pull()  # before the region has heard it
            assert await status_and_conflicts(engine, tracking) == (Status.DISPOSITIONED, 0)

            await Dispatcher(engine, registry).run_once()
            async with session_factory(engine)() as session:
                rows = list(await session.scalars(select(OutboxRow)))
            assert [row.status for row in rows] == [OutboxStatus.DELIVERED]
            for _ in range(3):  # the region heard it; it has no word for DISPOSITIONED and still says "Diverifikasi"
                await pull()
            assert await status_and_conflicts(engine, tracking) == (Status.DISPOSITIONED, 0)
