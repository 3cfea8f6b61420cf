"""The deadline job looks only at what can have become due since its last run, and misses nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hub.domain.lifecycle import Action
from hub.domain.vocabulary import Status
from hub.store.complaint_writes import NewComplaint, record_complaint
from hub.store.database import session_factory
from hub.store.lifecycle_writes import transition
from hub.store.models import Complaint, TimelineEvent
from hub.sync.deadline_watch import SWEEP_EVERY, DeadlineWatch
from hub.sync.deadlines_job import Window, run_deadlines
from tests.outbox.test_deadlines import ADMIN, LEVELS, T0


async def file(engine, title: str, *, at, resolve: bool = False) -> int:
    async with session_factory(engine)() as session, session.begin():
        complaint = await record_complaint(session, NewComplaint(title=title, body="-", region_code="19.71",
                                                                 submitted_at=at), levels=LEVELS, now=at)
        if resolve:
            for action in (Action.VERIFY, Action.DISPOSITION, Action.FOLLOW_UP, Action.RESOLVE):
                await transition(session, complaint, action, actor=ADMIN, now=at + timedelta(hours=1), levels=LEVELS)
        return complaint.id


async def breaches(engine) -> list[tuple[int, str]]:
    async with session_factory(engine)() as session:
        rows = await session.execute(select(TimelineEvent.complaint_id, TimelineEvent.source_event_id)
                                     .where(TimelineEvent.source_event_id.like("breach:%")))
        return sorted((complaint_id, marker) for complaint_id, marker in rows)


async def test_runs_after_the_first_find_every_due_date_the_clock_passed_and_every_new_complaint(engine):
    old = await file(engine, "Sampah menumpuk", at=T0)
    watch = DeadlineWatch(engine, levels=LEVELS)
    first = await watch.run(T0 + timedelta(minutes=1))  # a full sweep: nothing is due yet
    assert first is not None and (first.closed, first.breaches) == (0, 0)
    assert watch.window(T0 + timedelta(minutes=2)) is not None

    # minute by minute, until the verification deadline of the first complaint passes
    now = T0 + timedelta(minutes=1)
    seen = 0
    while now < T0 + timedelta(days=6):
        now += timedelta(minutes=30)
        report = await watch.run(now)
        seen += report.breaches
        if seen:
            break
    assert await breaches(engine) == [(old, "breach:verify")]
    verify_due = (await _complaint(engine, old)).verify_due
    assert verify_due <= now < verify_due + timedelta(minutes=31)  # found on the first run after it passed

    # a complaint arriving late from a region, already long overdue and resolved without answer: found at once
    late = await file(engine, "Jalan rusak", at=now - timedelta(days=90), resolve=True)
    report = await watch.run(now + timedelta(minutes=1))
    assert report.closed == 1 and (await _complaint(engine, late)).status is Status.CLOSED
    assert (late, "breach:verify") not in await breaches(engine)  # it was verified in time
    assert watch.window(now + SWEEP_EVERY) is None  # the hourly full sweep


async def test_a_window_sees_what_the_full_job_sees_for_what_fell_inside_it(engine):
    first = await file(engine, "Lampu mati", at=T0)
    second = await file(engine, "Air keruh", at=T0 + timedelta(days=20))
    later = T0 + timedelta(days=30)
    due = (await _complaint(engine, first)).verify_due
    # a window starting after the first complaint's deadline and after its id: only the second is due in it
    report = await run_deadlines(engine, levels=LEVELS, now=later, window=Window(since=due, after_id=second))
    assert report.breaches == 1 and await breaches(engine) == [(second, "breach:verify")]
    report = await run_deadlines(engine, levels=LEVELS, now=later)  # the full job finds the other
    assert report.breaches == 1 and (first, "breach:verify") in await breaches(engine)


async def _complaint(engine, complaint_id: int) -> Complaint:
    async with session_factory(engine)() as session:
        return await session.get(Complaint, complaint_id)
