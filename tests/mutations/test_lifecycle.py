"""The complaint lifecycle through GraphQL: each step by the role that may take it."""

from __future__ import annotations

from sqlalchemy import select

from hub.store.database import session_factory
from hub.store.models import Complaint
from tests.hubclient import hub_client
from tests.mutations.helpers import (
    DISPOSITION,
    FOLLOW_UP,
    MERGE,
    RATE,
    REJECT,
    REOPEN,
    RESOLVE,
    SUBMIT,
    VERIFY,
    add_agency,
    complaint_input,
    global_id,
    run,
    submit,
    tokens,
)


async def reporter_of(engine, tracking_id: str) -> int:
    async with session_factory(engine)() as session:
        return (await session.scalar(select(Complaint.reporter_id).where(Complaint.tracking_id == tracking_id)))


async def test_a_complaint_goes_from_submission_to_closing_with_every_actor_on_its_timeline(engine, database_url):
    agency = await add_agency(engine)
    async with hub_client(database_url) as hub:
        filed = await submit(hub)
        assert filed["status"] == "SUBMITTED" and filed["trackingId"].startswith("LPR-")
        who = tokens(hub, agency_id=agency, reporter_id=await reporter_of(engine, filed["trackingId"]))
        ref = filed["trackingId"]
        assert (await run(hub, VERIFY, who["region"], id=ref))["complaint"]["status"] == "VERIFIED"
        done = await run(hub, DISPOSITION, who["region"], id=ref, agency=global_id("Agency", agency))
        assert done["complaint"]["status"] == "DISPOSITIONED"
        assert done["complaint"]["agency"]["name"] == "Dinas PUPR Kota Pangkalpinang"
        followed = await run(hub, FOLLOW_UP, who["agency"], id=ref, text="Petugas sudah meninjau lokasi")
        assert followed["complaint"]["status"] == "IN_PROGRESS"
        assert (await run(hub, RESOLVE, who["agency"], id=ref))["complaint"]["status"] == "RESOLVED"
        assert (await run(hub, REOPEN, who["reporter"], id=ref))["complaint"]["status"] == "IN_PROGRESS"
        await run(hub, RESOLVE, who["agency"], id=ref)
        rated = await run(hub, RATE, who["reporter"], id=ref, stars=4, comment="Terima kasih")
        assert rated["complaint"]["status"] == "CLOSED" and rated["complaint"]["rating"] == 4
        timeline = rated["complaint"]["timeline"]
        assert [e["kind"] for e in timeline] == [
            "SUBMITTED", "STATUS_CHANGED", "DISPOSITION", "FOLLOW_UP", "STATUS_CHANGED", "STATUS_CHANGED",
            "STATUS_CHANGED", "RATING",
        ]
        assert timeline[1]["actor"] == "admin.pangkalpinang" and timeline[3]["actor"] == "petugas.pupr"
        assert timeline[3]["text"] == "Petugas sudah meninjau lokasi"
        assert timeline[-1]["actorRole"] == "REPORTER"


async def test_an_illegal_transition_is_refused_and_names_the_current_status(engine, database_url):
    async with hub_client(database_url) as hub:
        filed = await submit(hub)
        who = tokens(hub)
        refused = await run(hub, RESOLVE, who["national"], id=filed["trackingId"])
        assert refused["__typename"] == "IllegalTransitionError"
        assert refused["currentStatus"] == "SUBMITTED" and refused["action"] == "RESOLVE"
        assert "SUBMITTED" in refused["message"]
        rejected = await run(hub, REJECT, who["region"], id=filed["trackingId"], reason="Bukan pelayanan publik")
        assert rejected["complaint"]["status"] == "REJECTED"
        again = await run(hub, VERIFY, who["region"], id=filed["trackingId"])
        assert again["__typename"] == "IllegalTransitionError" and again["currentStatus"] == "REJECTED"


async def test_validation_errors_name_the_field(engine, database_url):
    other_agency = await add_agency(engine, "61.71", "Dinas PUPR Kota Pontianak")
    async with hub_client(database_url) as hub:
        blank = (await hub.query(SUBMIT, {"input": complaint_input(title="  ")}))["r"]
        assert blank == {"__typename": "ValidationError", "message": "`title` must not be empty", "field": "title"}
        nowhere = (await hub.query(SUBMIT, {"input": complaint_input(regionCode="99.99")}))["r"]
        assert nowhere["field"] == "regionCode"
        filed = await submit(hub)
        who = tokens(hub)
        await run(hub, VERIFY, who["region"], id=filed["trackingId"])
        wrong = await run(hub, DISPOSITION, who["region"], id=filed["trackingId"], agency=global_id("Agency", other_agency))
        assert wrong["__typename"] == "ValidationError" and wrong["field"] == "agencyId"
        missing = await run(hub, VERIFY, who["national"], id="LPR-2026-9999999")
        assert missing["__typename"] == "NotFoundError"


async def test_a_merged_duplicate_moves_its_timeline_and_its_tracking_id_finds_the_kept_one(engine, database_url):
    async with hub_client(database_url) as hub:
        keep, duplicate = await submit(hub), await submit(hub, body="Lampu jalan mati lagi, gelap sekali.")
        who = tokens(hub)
        merged = await run(hub, MERGE, who["region"], keep=keep["trackingId"], dup=duplicate["trackingId"])
        assert merged["__typename"] == "ComplaintPayload"
        kinds = [e["kind"] for e in merged["complaint"]["timeline"]]
        assert kinds.count("SUBMITTED") == 2 and "MERGED" in kinds
        assert {s["sourceId"] for s in merged["complaint"]["sources"]} == {keep["trackingId"], duplicate["trackingId"]}
        found = await hub.query("query($t: String!) { complaint(trackingId: $t) { trackingId } }",
                                {"t": duplicate["trackingId"]}, token=who["national"])
        assert found["complaint"]["trackingId"] == keep["trackingId"]
        outsider = await run(hub, MERGE, who["other_region"], keep=keep["trackingId"], dup=duplicate["trackingId"])
        assert outsider["__typename"] in ("NotAllowedError", "NotFoundError")
