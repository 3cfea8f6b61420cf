"""transferComplaint's rules: who may, where to, from which statuses, and what it leaves on the complaint."""

from __future__ import annotations

from hub.domain.vocabulary import Role
from tests.hubclient import hub_client
from tests.mutations.helpers import (
    DISPOSITION,
    FOLLOW_UP,
    RESOLVE,
    VERIFY,
    act,
    add_agency,
    global_id,
    run,
    submit,
    tokens,
)
from tests.mutations.test_lifecycle import reporter_of

TRANSFER = act("transferComplaint", ", regionCode: $region, reason: $reason", ", $region: String!, $reason: String!")
SEEN = """query($id: String!) { complaint(trackingId: $id) { regionCode status agency { name } dispositionedAt
  verifiedAt timeline { kind text } } }"""


async def test_who_may_transfer_and_where_to(engine, database_url):
    agency = await add_agency(engine)
    async with hub_client(database_url, schedule=False) as hub:
        filed = await submit(hub)
        ref = filed["trackingId"]
        who = tokens(hub, agency_id=agency)
        await run(hub, VERIFY, who["region"], id=ref)
        await run(hub, DISPOSITION, who["region"], id=ref, agency=global_id("Agency", agency))
        officer = await run(hub, TRANSFER, who["agency"], id=ref, region="61.71", reason="Bukan wilayah kami")
        assert officer["__typename"] == "NotAllowedError"
        stranger = await run(hub, TRANSFER, who["other_region"], id=ref, region="61.71", reason="Ambil alih")
        assert stranger["__typename"] == "NotFoundError"
        same = await run(hub, TRANSFER, who["region"], id=ref, region="19.71", reason="Tetap")
        assert (same["__typename"], same["field"]) == ("ValidationError", "regionCode")
        nowhere = await run(hub, TRANSFER, who["region"], id=ref, region="99.99", reason="Entah")
        assert (nowhere["__typename"], nowhere["field"]) == ("ValidationError", "regionCode")
        blank = await run(hub, TRANSFER, who["region"], id=ref, region="61.71", reason="  ")
        assert (blank["__typename"], blank["field"]) == ("ValidationError", "reason")

        moved = await run(hub, TRANSFER, who["national"], id=ref, region="61.71", reason="Lokasi di Pontianak")
        assert moved["__typename"] == "ComplaintPayload" and moved["complaint"]["status"] == "SUBMITTED"
        seen = (await hub.query(SEEN, {"id": ref}, token=who["national"]))["complaint"]
        assert (seen["regionCode"], seen["agency"], seen["dispositionedAt"], seen["verifiedAt"]) == (
            "61.71", None, None, None)
        assert [e["kind"] for e in seen["timeline"]][-1] == "TRANSFERRED"
        assert (await hub.query(SEEN, {"id": ref}, token=who["other_region"]))["complaint"]["regionCode"] == "61.71"
        assert (await hub.query(SEEN, {"id": ref}, token=who["region"]))["complaint"] is None
        assert (await hub.query(SEEN, {"id": ref}, token=who["agency"]))["complaint"] is None
        reporter = hub.token(Role.REPORTER,
                             reporter_id=await reporter_of(engine, ref), subject="siti")
        assert (await hub.query(SEEN, {"id": ref}, token=reporter))["complaint"]["regionCode"] == "61.71"


async def test_a_complaint_already_worked_on_is_not_transferred(engine, database_url):
    agency = await add_agency(engine)
    async with hub_client(database_url, schedule=False) as hub:
        ref = (await submit(hub))["trackingId"]
        who = tokens(hub, agency_id=agency)
        await run(hub, VERIFY, who["region"], id=ref)
        await run(hub, DISPOSITION, who["region"], id=ref, agency=global_id("Agency", agency))
        await run(hub, FOLLOW_UP, who["agency"], id=ref, text="Petugas sudah meninjau lokasi")
        await run(hub, RESOLVE, who["agency"], id=ref)
        refused = await run(hub, TRANSFER, who["national"], id=ref, region="61.71", reason="Terlambat")
        assert refused["__typename"] == "IllegalTransitionError" and refused["currentStatus"] == "RESOLVED"
