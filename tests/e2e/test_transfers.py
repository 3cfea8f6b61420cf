"""transferComplaint over HTTP with the simulated regions: submitted once in the receiving region,
closed as transferred in the giving one, and scope follows the complaint."""

from __future__ import annotations

from sqlalchemy import select

from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import Role
from hub.simulators.rest import STATUS as REST_STATUS
from hub.store.database import session_factory
from hub.store.models import Complaint
from hub.store.outbox_models import OutboxRow, OutboxStatus
from hub.store.sync_models import RunStatus
from hub.sync.runs import PullRun
from tests.e2e.regional import regions
from tests.e2e.test_write_path import region_file
from tests.hubclient import hub_client
from tests.mutations.helpers import VERIFY, act, run, submit

TRANSFER = act("transferComplaint", ", regionCode: $region, reason: $reason", ", $region: String!, $reason: String!")
SEEN = """query($id: String!) { complaint(trackingId: $id) { regionCode status
  timeline { kind text sourceSystem } } }"""
LISTED = "{ complaints(first: 50) { edges { node { trackingId } } } }"


async def _deliver(hub) -> None:
    await hub.runtime.dispatcher.settled()
    await hub.runtime.dispatcher.run_once()


async def test_a_transferred_complaint_is_submitted_once_in_the_new_region_and_scope_follows_it(
    engine, database_url, monkeypatch, tmp_path,
):
    with regions(monkeypatch, complaints=5, kinds=("rest", "open311")) as (found, registry):
        rest, open311 = found["rest"], found["open311"]
        async with hub_client(database_url, schedule=False, regions_file=region_file(tmp_path, registry)) as hub:
            giving = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
            receiving = hub.token(Role.REGION_ADMIN, region_codes=["61.71"], subject="admin.pontianak")
            filed = await submit(hub, categoryCode="ROADS")
            tracking = filed["trackingId"]
            assert (await run(hub, VERIFY, giving, id=tracking))["complaint"]["status"] == "VERIFIED"
            await _deliver(hub)
            assert len([r for r in rest.ground_truth() if r["kode_lapor"] == tracking]) == 1

            refused = await run(hub, TRANSFER, receiving, id=tracking, region="61.71", reason="Lokasi di Pontianak")
            assert refused["__typename"] == "NotFoundError"  # not yet theirs: they cannot even see it
            moved = await run(hub, TRANSFER, giving, id=tracking, region="61.71",
                              reason="Lokasi jalan ternyata di Kota Pontianak")
            assert moved["__typename"] == "ComplaintPayload", moved
            assert moved["complaint"]["status"] == "SUBMITTED"
            await _deliver(hub)

            for _ in range(3):  # three rounds of pulls change nothing the transfer set
                for region in registry.regions:
                    report = await PullRun(engine, region, levels=ServiceLevels(), full=True).execute()
                    assert report.status is RunStatus.SUCCEEDED
                await _deliver(hub)

            arrived = [r for r in open311.ground_truth() if r.get("lapor_tracking_id") == tracking]
            assert len(arrived) == 1, "the receiving region must get it exactly once"
            assert arrived[0]["description"].startswith("Lampu PJU mati di Jl. Merdeka")
            left = [r for r in rest.ground_truth() if r["kode_lapor"] == tracking]
            assert len(left) == 1 and left[0]["status"] == REST_STATUS["withdrawn"]
            assert any("Kota Pontianak" in t["isi"] or "61.71" in t["isi"] for t in left[0]["tanggapan"])

            seen = (await hub.query(SEEN, {"id": tracking}, token=receiving))["complaint"]
            assert (seen["regionCode"], seen["status"]) == ("61.71", "SUBMITTED")
            transferred = [e for e in seen["timeline"] if e["kind"] == "TRANSFERRED"]
            assert len(transferred) == 1
            assert "19.71" in transferred[0]["text"] and "61.71" in transferred[0]["text"]
            # the copy left in the giving region no longer speaks for the complaint: no conflict with it
            assert [e for e in seen["timeline"] if e["kind"] == "CONFLICT"] == []
            assert (await hub.query(SEEN, {"id": tracking}, token=giving))["complaint"] is None
            listed = (await hub.query(LISTED, token=giving))["complaints"]["edges"]
            assert tracking not in {e["node"]["trackingId"] for e in listed}
            listed = (await hub.query(LISTED, token=receiving))["complaints"]["edges"]
            assert tracking in {e["node"]["trackingId"] for e in listed}

        async with session_factory(engine)() as session:
            complaint = await session.scalar(select(Complaint).where(Complaint.tracking_id == tracking))
            rows = list(await session.scalars(select(OutboxRow).where(OutboxRow.complaint_id == complaint.id)
                                              .order_by(OutboxRow.id)))
        assert complaint.region_code == "61.71" and complaint.status == "SUBMITTED"
        by_target = [(row.source_system, row.kind, row.status) for row in rows]
        assert by_target == [
            ("rest:19.71", "submit", OutboxStatus.DELIVERED), ("rest:19.71", "verify", OutboxStatus.DELIVERED),
            ("rest:19.71", "transfer", OutboxStatus.DELIVERED), ("open311:61.71", "submit", OutboxStatus.DELIVERED),
        ]
