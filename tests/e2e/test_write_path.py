"""National actions reach the regional apps: exactly once, in order, through outages."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import func, select

from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import EventKind, Role
from hub.simulators.region_file import write_region_file
from hub.store.database import session_factory
from hub.store.models import Complaint, ComplaintSource, TimelineEvent
from hub.store.outbox_models import OutboxRow, OutboxStatus
from hub.store.sync_models import RunStatus
from hub.store.types import utcnow
from hub.sync.outbox import Dispatcher, RetryPolicy
from hub.sync.runs import PullRun
from tests.e2e.regional import regions
from tests.hubclient import hub_client, nodes
from tests.mutations.helpers import DISPOSITION, FOLLOW_UP, SUBMIT, VERIFY, add_agency, complaint_input, global_id, run


def region_file(tmp_path, registry) -> str:
    entries = [r.model_dump(mode="json", exclude_none=True) for r in registry.regions]
    return str(write_region_file(tmp_path / "regions.yaml", entries))


async def outbox(engine) -> list[OutboxRow]:
    async with session_factory(engine)() as session:
        return list((await session.scalars(select(OutboxRow).order_by(OutboxRow.id))).all())


async def test_a_national_complaint_reaches_its_region_once_through_an_outage(engine, database_url, monkeypatch, tmp_path):
    with regions(monkeypatch, complaints=5, kinds=("rest",)) as (found, registry):
        rest = found["rest"]
        rest.faults(error_rate=1.0)  # the regional app is down
        agency = await add_agency(engine, "19.71")
        async with hub_client(database_url, schedule=False, regions_file=region_file(tmp_path, registry)) as hub:
            admin = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
            filed = (await hub.query(SUBMIT, {"input": complaint_input()}))["r"]["complaint"]
            tracking = filed["trackingId"]
            assert (await run(hub, VERIFY, admin, id=tracking))["__typename"] == "ComplaintPayload"
            assert (await run(hub, DISPOSITION, admin, id=tracking, agency=global_id("Agency", agency)))["__typename"] == "ComplaintPayload"
            for text in ("Petugas meninjau lokasi hari ini.", "Perbaikan dijadwalkan pekan depan."):
                assert (await run(hub, FOLLOW_UP, admin, id=tracking, text=text))["__typename"] == "ComplaintPayload"

        dispatcher = Dispatcher(engine, registry, policy=RetryPolicy(max_attempts=50, base_seconds=1, cap_seconds=60))
        later = utcnow()
        for _ in range(3):  # hours of outage
            later += timedelta(hours=1)
            await dispatcher.run_once(now=later)
        assert [r for r in rest.ground_truth() if r["kode_lapor"] == tracking] == []
        pending = await outbox(engine)
        assert all(row.status is OutboxStatus.PENDING for row in pending) and pending[0].attempts >= 3

        # back, but failing intermittently and sometimes answering only after the client gave up
        rest.faults(error_rate=0.3, hang_rate=0.2, hang_seconds=3)
        for _ in range(60):
            later += timedelta(hours=1)
            await dispatcher.run_once(now=later)
            if all(row.status is OutboxStatus.DELIVERED for row in await outbox(engine)):
                break
        assert [row.status for row in await outbox(engine)] == [OutboxStatus.DELIVERED] * 5
        rest.faults(error_rate=0, hang_rate=0)

        arrived = [r for r in rest.ground_truth() if r["kode_lapor"] == tracking]
        assert len(arrived) == 1, "the complaint must arrive exactly once"
        texts = [t["isi"] for t in arrived[0]["tanggapan"]]
        follow_ups = [t for t in texts if t.startswith(("Petugas meninjau", "Perbaikan dijadwalkan"))]
        assert follow_ups == ["Petugas meninjau lokasi hari ini.", "Perbaikan dijadwalkan pekan depan."]

        # pulled back from the region, it is still one complaint, now with two sources
        report = await PullRun(engine, registry.regions[0], levels=ServiceLevels(), full=True).execute()
        assert report.status is RunStatus.SUCCEEDED
        async with session_factory(engine)() as session:
            complaint = await session.scalar(select(Complaint).where(Complaint.tracking_id == tracking))
            sources = {(s.source_system, s.source_id) for s in await session.scalars(
                select(ComplaintSource).where(ComplaintSource.complaint_id == complaint.id))}
            same = await session.scalar(select(func.count()).select_from(Complaint).where(Complaint.title == complaint.title))
            echoed = list(await session.scalars(select(TimelineEvent.text).where(
                TimelineEvent.complaint_id == complaint.id, TimelineEvent.kind == EventKind.FOLLOW_UP)))
        assert sources == {("lapor-hub", tracking), ("rest:19.71", str(arrived[0]["id"]))}
        assert same == 1
        assert sorted(echoed) == ["Perbaikan dijadwalkan pekan depan.", "Petugas meninjau lokasi hari ini."]

        # the region answers on its own: its follow-up arrives; the hub's own come back once, not twice
        httpx.post(f"{rest.base_url}/api/v1/laporan/{arrived[0]['id']}/tanggapan", headers={"X-API-Key": "sim-key"},
                   json={"isi": "Jalan sudah diaspal ulang.", "oleh": "Dinas PUPR", "status": "Selesai"}).raise_for_status()
        report = await PullRun(engine, registry.regions[0], levels=ServiceLevels()).execute()
        assert report.status is RunStatus.SUCCEEDED and report.updated == 1
        async with session_factory(engine)() as session:
            texts = list(await session.scalars(select(TimelineEvent.text).where(
                TimelineEvent.complaint_id == complaint.id, TimelineEvent.kind == EventKind.FOLLOW_UP)))
            status = await session.scalar(select(Complaint.status).where(Complaint.id == complaint.id))
        assert sorted(texts) == ["Jalan sudah diaspal ulang.", "Perbaikan dijadwalkan pekan depan.",
                                 "Petugas meninjau lokasi hari ini."]
        assert status == "RESOLVED"


async def test_a_push_to_the_csv_region_is_manual_work_never_dropped(engine, database_url, monkeypatch, tmp_path):
    with regions(monkeypatch, complaints=5, kinds=("csv",)) as (found, registry):
        async with hub_client(database_url, schedule=False, regions_file=region_file(tmp_path, registry)) as hub:
            filed = (await hub.query(SUBMIT, {"input": complaint_input(regionCode="64.09")}))["r"]["complaint"]
            admin = hub.token(Role.REGION_ADMIN, region_codes=["64.09"], subject="admin.ppu")
            query = "query($r: String) { manualWork(regionCode: $r) { edges { node { trackingId change status } } } }"
            work = nodes((await hub.query(query, {"r": "64.09"}, token=admin))["manualWork"])
        assert [(w["trackingId"], w["change"], w["status"]) for w in work] == [(filed["trackingId"], "SUBMIT", "MANUAL")]
        assert [row.status for row in await outbox(engine)] == [OutboxStatus.MANUAL]
        assert all(r["Kode LAPOR"] != filed["trackingId"] for r in found["csv"].ground_truth())
