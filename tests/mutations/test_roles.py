"""Each role is refused what it may not do, with who may, and nothing changes."""

from __future__ import annotations

from sqlalchemy import func, select

from hub.domain.vocabulary import Role
from hub.store.database import session_factory
from hub.store.models import Complaint, TimelineEvent
from tests.hubclient import hub_client
from tests.mutations.helpers import (
    DISPOSITION,
    FOLLOW_UP,
    RATE,
    REOPEN,
    RESOLVE,
    SUBMIT,
    VERIFY,
    WITHDRAW,
    add_agency,
    complaint_input,
    global_id,
    run,
    submit,
    tokens,
)
from tests.mutations.test_lifecycle import reporter_of


async def snapshot(engine) -> tuple[list[tuple[str, str]], int]:
    async with session_factory(engine)() as session:
        statuses = [(c.tracking_id, c.status.value) for c in await session.scalars(select(Complaint).order_by(Complaint.id))]
        events = (await session.execute(select(func.count()).select_from(TimelineEvent))).scalar_one()
    return statuses, events


async def test_each_role_is_refused_what_it_may_not_do_and_nothing_changes(engine, database_url):
    agency = await add_agency(engine)
    other_agency = await add_agency(engine, name="Dinas Kesehatan Kota Pangkalpinang")
    async with hub_client(database_url) as hub:
        filed = await submit(hub)
        ref = filed["trackingId"]
        who = tokens(hub, agency_id=agency, reporter_id=await reporter_of(engine, ref))
        who["other_agency"] = hub.token(Role.AGENCY_OFFICER, agency_id=other_agency)
        before = await snapshot(engine)
        refusals = [
            (VERIFY, None, {}, "admin of its region"),
            (VERIFY, who["reporter"], {}, "admin of its region"),
            (WITHDRAW, who["stranger"], {}, "reporter who filed it"),
            (RATE, who["national"], {"stars": 5, "comment": None}, "only the reporter who filed it may"),
            (REOPEN, who["region"], {}, "reporter who filed it"),
            (FOLLOW_UP, None, {"text": "halo"}, "reporter who filed it"),
        ]
        for document, token, variables, who_may in refusals:
            result = await run(hub, document, token, id=ref, **variables)
            assert result["__typename"] == "NotAllowedError", (document, result)
            assert who_may in result["message"], result["message"]
        # staff outside the complaint's scope cannot see it, so to them it does not exist (as on the read path)
        unseen = await run(hub, VERIFY, who["agency"], id=ref)
        assert unseen["__typename"] == "NotFoundError" and "that you may see" in unseen["message"], unseen
        assert await snapshot(engine) == before

        await run(hub, VERIFY, who["region"], id=ref)
        await run(hub, DISPOSITION, who["region"], id=ref, agency=global_id("Agency", agency))
        before = await snapshot(engine)
        refused = await run(hub, RESOLVE, who["reporter"], id=ref)
        assert refused["__typename"] == "NotAllowedError", refused
        assert "agency it is dispositioned to" in refused["message"]
        for token in (who["other_agency"], who["other_region"]):  # staff of another scope do not see it at all
            unseen = await run(hub, RESOLVE, token, id=ref)
            assert unseen["__typename"] == "NotFoundError", unseen
        assert await snapshot(engine) == before


async def test_manual_submission_is_for_admins_and_self_service_for_citizens(engine, database_url):
    async with hub_client(database_url) as hub:
        who = tokens(hub)
        manual = {"input": complaint_input(channel="MANUAL")}
        refused = (await hub.query(SUBMIT, manual))["r"]
        assert refused["__typename"] == "NotAllowedError" and "admin of its region" in refused["message"]
        elsewhere = (await hub.query(SUBMIT, manual, token=who["other_region"]))["r"]
        assert elsewhere["__typename"] == "NotAllowedError"
        typed_in = (await hub.query(SUBMIT, manual, token=who["region"]))["r"]
        assert typed_in["__typename"] == "ComplaintPayload"
        assert typed_in["complaint"]["timeline"][0]["actor"] == "admin.pangkalpinang"
        by_sms = (await hub.query(SUBMIT, {"input": complaint_input(channel="SMS", regionCode="61.71")}))["r"]
        assert by_sms["__typename"] == "ComplaintPayload"


async def test_a_reporter_comments_on_their_own_complaint_and_their_submission_uses_their_id(engine, database_url):
    async with hub_client(database_url) as hub:
        first = await submit(hub)
        reporter_id = await reporter_of(engine, first["trackingId"])
        who = tokens(hub, reporter_id=reporter_id)
        own = await run(hub, FOLLOW_UP, who["reporter"], id=first["trackingId"], text="Lokasinya depan masjid")
        assert own["complaint"]["status"] == "SUBMITTED"
        assert own["complaint"]["timeline"][-1]["kind"] == "COMMENT"
        second = (await hub.query(SUBMIT, {"input": complaint_input(reporter=None)}, token=who["reporter"]))["r"]
        assert second["__typename"] == "ComplaintPayload"
        assert await reporter_of(engine, second["complaint"]["trackingId"]) == reporter_id
