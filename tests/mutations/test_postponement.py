"""Postponement (tunda) pauses every clock: no breach while postponed, due dates move on resuming."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from hub.domain.calendar import default_calendar
from hub.domain.lifecycle import Action
from hub.domain.regions import timezone_for
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import EventKind, Role, Status
from hub.store.complaint_writes import NewComplaint, record_complaint
from hub.store.database import session_factory
from hub.store.lifecycle_writes import Actor, transition
from hub.store.models import Complaint, TimelineEvent
from hub.sync.deadlines_job import run_deadlines
from tests.hubclient import hub_client

MONDAY = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)  # 09:00 WIB; no holiday in the next two weeks
FRIDAY = MONDAY + timedelta(days=4)  # four working days later
LEVELS = ServiceLevels()
ADMIN = Actor(name="admin.pangkalpinang", role=Role.REGION_ADMIN)
REPORTER = Actor(name="siti", role=Role.REPORTER)
ZONE = timezone_for("19.71")

BREACHES = """
query($id: String!) {
  complaint(trackingId: $id) { status verifyBreached followUpBreached resolveBreached slaBreached verifyDue resolveDue }
  breached: complaints(filter: {slaBreached: true}) { totalCount }
  listed: complaints(first: 10) { edges { node { trackingId verifyBreached resolveBreached slaBreached } } }
  stats(groupBy: REGION) { overall { total slaBreaches { verify followUp resolve total } } }
}
"""


async def _file(engine, title: str) -> Complaint:
    async with session_factory(engine)() as session, session.begin():
        return await record_complaint(session, NewComplaint(title=title, body="Sudah seminggu", region_code="19.71"),
                                      levels=LEVELS, now=MONDAY)


async def _act(engine, complaint_id: int, action: Action, actor: Actor, at: datetime) -> Complaint:
    async with session_factory(engine)() as session, session.begin():
        complaint = await session.get(Complaint, complaint_id)
        await transition(session, complaint, action, actor=actor, now=at, levels=LEVELS)
        return complaint


def _working_days_later(due: datetime, days: int) -> datetime:
    """The end of the working day ``days`` working days after ``due``'s, in the region's zone."""
    moved = default_calendar().add_working_days(due.astimezone(ZONE).date(), days)
    return datetime.combine(moved, time.max, tzinfo=ZONE)


async def test_a_postponed_complaint_breaches_nothing_and_resumes_with_due_dates_moved_by_the_pause(
    engine, database_url,
):
    postponed = await _file(engine, "Lampu jalan mati")
    await _file(engine, "Sampah menumpuk")  # never postponed: its verification is long overdue
    before = await _act(engine, postponed.id, Action.POSTPONE, ADMIN, MONDAY + timedelta(hours=1))
    assert before.status is Status.POSTPONED

    # while postponed: the deadline job records nothing for it, however late it gets
    report = await run_deadlines(engine, levels=LEVELS, now=FRIDAY)
    assert report.breaches == 1  # the other complaint's verification only

    async with hub_client(database_url, schedule=False) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)
        data = await hub.query(BREACHES, {"id": postponed.tracking_id}, token=national)
    shown = data["complaint"]
    assert shown["status"] == "POSTPONED"
    assert (shown["verifyBreached"], shown["followUpBreached"], shown["resolveBreached"], shown["slaBreached"]) == (
        False, False, False, False)
    assert data["breached"]["totalCount"] == 1
    listed = {e["node"]["trackingId"]: e["node"] for e in data["listed"]["edges"]}  # the planned read path
    assert (listed[postponed.tracking_id]["verifyBreached"], listed[postponed.tracking_id]["slaBreached"]) == (
        False, False)
    assert [n["slaBreached"] for t, n in listed.items() if t != postponed.tracking_id] == [True]
    assert data["stats"]["overall"]["total"] == 2
    assert data["stats"]["overall"]["slaBreaches"]["verify"] == 1

    # the reporter answers four working days later: every open due date moves by four working days
    resumed = await _act(engine, postponed.id, Action.ADD_DETAIL, REPORTER, FRIDAY)
    assert resumed.status is Status.SUBMITTED
    assert resumed.postponed_working_days == 4 and resumed.postponed_at is None
    assert resumed.verify_due == _working_days_later(before.verify_due, 4)
    assert resumed.resolve_due == _working_days_later(before.resolve_due, 4)
    assert resumed.verify_due.astimezone(ZONE).date() == date(2026, 10, 14)  # Thu 8 Oct + 4

    # the clock runs again: once past the moved due date the breach shows and is recorded, once
    after = await run_deadlines(engine, levels=LEVELS, now=datetime(2026, 10, 15, 2, 0, tzinfo=UTC))
    assert after.breaches == 1
    async with session_factory(engine)() as session:
        recorded = list(await session.scalars(select(TimelineEvent).where(
            TimelineEvent.complaint_id == postponed.id, TimelineEvent.kind == EventKind.DEADLINE_BREACHED)))
    assert [e.details["deadline"] for e in recorded] == ["verify"]
    assert "verifikasi" in (recorded[0].text or "")
    async with hub_client(database_url, schedule=False) as hub:
        data = await hub.query(BREACHES, {"id": postponed.tracking_id}, token=national)
    assert data["complaint"]["verifyBreached"] is True
    assert data["stats"]["overall"]["slaBreaches"]["verify"] == 2


async def test_a_postponement_ended_by_withdrawal_is_credited_too(engine):
    postponed = await _file(engine, "Jalan berlubang")
    await _act(engine, postponed.id, Action.POSTPONE, ADMIN, MONDAY + timedelta(hours=1))
    withdrawn = await _act(engine, postponed.id, Action.WITHDRAW, REPORTER, FRIDAY)
    assert withdrawn.postponed_working_days == 4 and withdrawn.postponed_at is None
    report = await run_deadlines(engine, levels=LEVELS, now=FRIDAY + timedelta(days=30))
    assert report.breaches == 0  # withdrawn within its (moved) verification period
