"""The deadline job: unanswered resolutions close, breaches are recorded once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from hub.domain.lifecycle import Action
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import EventKind, Status
from hub.store.complaint_writes import NewComplaint, record_complaint
from hub.store.database import session_factory
from hub.store.lifecycle_writes import Actor, transition
from hub.store.models import Complaint, TimelineEvent
from hub.sync.deadlines_job import run_deadlines

T0 = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)  # a Monday
LEVELS = ServiceLevels()
ADMIN = Actor(name="admin", role=None)


async def test_an_unanswered_resolution_closes_and_each_breach_is_recorded_once(engine):
    async with session_factory(engine)() as session, session.begin():
        waiting = await record_complaint(session, NewComplaint(title="Sampah menumpuk", body="Di pasar", region_code="19.71"),
                                         levels=LEVELS, now=T0)
        resolved = await record_complaint(session, NewComplaint(title="Jalan rusak", body="Berlubang", region_code="19.71"),
                                          levels=LEVELS, now=T0)
        for action in (Action.VERIFY, Action.DISPOSITION, Action.FOLLOW_UP, Action.RESOLVE):
            await transition(session, resolved, action, actor=ADMIN, now=T0 + timedelta(hours=1), levels=LEVELS)
    later = T0 + timedelta(days=30)
    first = await run_deadlines(engine, levels=LEVELS, now=later)
    second = await run_deadlines(engine, levels=LEVELS, now=later + timedelta(minutes=1))
    assert first.closed == 1 and second.closed == 0
    assert first.breaches == 1 and second.breaches == 0  # the unverified complaint, once
    assert first.escalations == 2 and second.escalations == 0
    async with session_factory(engine)() as session:
        closed = await session.get(Complaint, resolved.id)
        assert closed.status is Status.CLOSED
        events = list(await session.scalars(select(TimelineEvent).where(TimelineEvent.complaint_id == waiting.id)
                                            .order_by(TimelineEvent.id)))
        breach = [e for e in events if e.kind is EventKind.DEADLINE_BREACHED]
        assert len(breach) == 1 and breach[0].actor == "system" and breach[0].details["deadline"] == "verify"
        # thirty days unverified: it has also climbed the escalation ladder to the nation, once
        assert [e.details["level"] for e in events if e.kind is EventKind.ESCALATED] == ["REGION", "NATIONAL"]
        last = await session.scalar(select(TimelineEvent).where(TimelineEvent.complaint_id == resolved.id)
                                    .order_by(TimelineEvent.id.desc()).limit(1))
        assert last.actor == "system" and last.to_status is Status.CLOSED
