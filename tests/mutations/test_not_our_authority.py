"""Not our authority (bukan wewenang): a new disposition starts the follow-up clock afresh."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hub.domain.calendar import default_calendar
from hub.domain.lifecycle import Action
from hub.domain.regions import timezone_for
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import Role
from hub.store.complaint_writes import NewComplaint, record_complaint
from hub.store.database import session_factory
from hub.store.lifecycle_writes import Actor, transition
from tests.hubclient import hub_client
from tests.mutations.helpers import DISPOSITION, act, add_agency, global_id, run

RETURN = act("returnComplaint", ", reason: $reason", ", $reason: String!")
CLOCKS = "query($id: String!) { complaint(trackingId: $id) { status dispositionedAt followUpDue agency { name } } }"
MONDAY = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)
LEVELS = ServiceLevels()
ADMIN = Actor(name="admin.pangkalpinang", role=Role.REGION_ADMIN)


async def test_after_a_return_and_a_new_disposition_the_clock_counts_from_the_new_one(engine, database_url):
    first = await add_agency(engine, name="Dinas Perhubungan Kota Pangkalpinang")
    second = await add_agency(engine)
    async with session_factory(engine)() as session, session.begin():
        complaint = await record_complaint(
            session, NewComplaint(title="Lampu lalu lintas mati", body="Perempatan Jl. Merdeka", region_code="19.71"),
            levels=LEVELS, now=MONDAY)
        await transition(session, complaint, Action.VERIFY, actor=ADMIN, now=MONDAY + timedelta(hours=1), levels=LEVELS)
        complaint.agency_id = first
        await transition(session, complaint, Action.DISPOSITION, actor=ADMIN, now=MONDAY + timedelta(hours=2),
                         levels=LEVELS)
        tracking = complaint.tracking_id
        first_follow_up_due = complaint.follow_up_due
    async with hub_client(database_url, schedule=False) as hub:
        officer = hub.token(Role.AGENCY_OFFICER, agency_id=first, subject="petugas.dishub")
        region = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
        returned = await run(hub, RETURN, officer, id=tracking, reason="Lampu jalan wewenang Dinas PUPR")
        assert returned["complaint"]["status"] == "VERIFIED"
        handed_back = (await hub.query(CLOCKS, {"id": tracking}, token=region))["complaint"]
        assert (handed_back["dispositionedAt"], handed_back["followUpDue"], handed_back["agency"]) == (None, None, None)
        again = await run(hub, DISPOSITION, region, id=tracking, agency=global_id("Agency", second))
        assert again["complaint"]["status"] == "DISPOSITIONED"
        now = (await hub.query(CLOCKS, {"id": tracking}, token=region))["complaint"]
    dispositioned = datetime.fromisoformat(now["dispositionedAt"])
    assert dispositioned > MONDAY + timedelta(days=7)  # today, not the first agency's Monday
    zone = timezone_for("19.71")
    expected_due = default_calendar().deadline(dispositioned.astimezone(zone), LEVELS.first_follow_up_days)
    assert datetime.fromisoformat(now["followUpDue"]) == expected_due
    assert datetime.fromisoformat(now["followUpDue"]) > first_follow_up_due
    assert now["agency"]["name"] == "Dinas PUPR Kota Pangkalpinang"
