"""Applying the escalation ladder (:mod:`hub.domain.escalation`), run by the deadline job.

Each run visits only the complaints that may need a step, found in SQL:

- a deadline past due and unmet, on no ladder yet (``escalation_deadline`` is null);
- on a ladder whose next step has fallen due (``escalation_next_at < now``);
- on a ladder whose deadline is no longer unmet, or that left the open lifecycle
  or was merged (it moved on).

Postponed complaints are never visited: they wait. For each visited complaint
the pure rule decides; every step taken is an ``ESCALATED`` timeline event
(``details = {"deadline", "level", "due"}``, actor ``system``) and an
:class:`~hub.domain.notices.EscalatedNotice`, told through the fan-out to the
webhook subscribers whose scope may see the complaint (and, at ``NATIONAL``,
to the Ombudsman's subscription, :mod:`hub.sync.notify`). Each visit writes
the new state, so a second run finds nothing to do; the event's
``source_event_id`` (``escalate:<deadline>:<level>:<due>``) keeps a step from
being recorded twice even so.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm.attributes import flag_modified

from hub.domain.escalation import Breach, Clocks, EscalationLevel, EscalationPolicy, decide
from hub.domain.notices import EscalatedNotice
from hub.domain.regions import timezone_for
from hub.domain.vocabulary import EventKind, Status
from hub.store.change_feed import announce, complaint_changed
from hub.store.complaint_writes import NATIONAL_SYSTEM
from hub.store.lifecycle_writes import SYSTEM_ACTOR
from hub.store.models import Complaint, TimelineEvent
from hub.store.notices import record_notice
from hub.store.types import UTCDateTime

BATCH = 500
MAX_BATCHES = 20  # per run; the next run carries on
LABELS = {"verify": "verifikasi", "follow_up": "tindak lanjut pertama", "resolve": "penyelesaian"}
LEVEL_WORDS = {EscalationLevel.REGION: "admin daerah", EscalationLevel.NATIONAL: "admin nasional"}


def _unmet(deadline: str, now: datetime) -> ColumnElement[bool]:
    at = _at(now)
    c = Complaint
    match deadline:
        case "verify":
            return and_(c.verify_due < at, c.verified_at.is_(None))
        case "follow_up":
            return and_(c.follow_up_due.is_not(None), c.follow_up_due < at, c.first_follow_up_at.is_(None),
                        c.resolved_at.is_(None))
        case "resolve":
            return and_(c.resolve_due < at, c.resolved_at.is_(None))
    return false()


def _at(now: datetime) -> ColumnElement[datetime]:
    return literal(now, type_=UTCDateTime())


def candidates_clause(now: datetime) -> ColumnElement[bool]:
    """The complaints that may need a step now (the same rule as :func:`hub.domain.escalation.outstanding`)."""
    c = Complaint
    open_now = and_(c.closed_at.is_(None), c.merged_into_id.is_(None))
    still_unmet = or_(*(and_(c.escalation_deadline == name, _unmet(name, now)) for name in LABELS))
    return and_(
        c.status != Status.POSTPONED,
        or_(
            and_(c.escalation_deadline.is_(None), open_now, or_(*(_unmet(name, now) for name in LABELS))),
            and_(c.escalation_deadline.is_not(None), c.escalation_next_at < _at(now)),
            and_(c.escalation_deadline.is_not(None), ~and_(open_now, still_unmet)),
        ),
    )


def clocks_of(complaint: Complaint) -> Clocks:
    return Clocks(status=complaint.status, closed_at=complaint.closed_at, verify_due=complaint.verify_due,
                  verified_at=complaint.verified_at, follow_up_due=complaint.follow_up_due,
                  first_follow_up_at=complaint.first_follow_up_at, resolve_due=complaint.resolve_due,
                  resolved_at=complaint.resolved_at)


async def run_escalations(engine: AsyncEngine, *, policy: EscalationPolicy, now: datetime) -> int:
    """Take every escalation step due by ``now``; return how many were taken."""
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    taken = 0
    for _ in range(MAX_BATCHES):
        async with sessions() as session, session.begin():
            complaints = list(await session.scalars(
                select(Complaint).where(candidates_clause(now)).order_by(Complaint.id).limit(BATCH)))
            for complaint in complaints:
                taken += await _visit(session, complaint, policy=policy, now=now)
        if len(complaints) < BATCH:
            break
    return taken


async def _visit(session: AsyncSession, complaint: Complaint, *, policy: EscalationPolicy, now: datetime) -> int:
    # Escalating is not a change of the complaint itself: ``updated_at`` stays, or the conflict rule
    # (hub.sync.consolidate) would take a step for a national change and refuse a region's earlier status.
    flag_modified(complaint, "updated_at")
    if complaint.merged_into_id is not None:
        _leave(complaint)
        return 0
    decision = decide(clocks_of(complaint), level=complaint.escalation_level, deadline=complaint.escalation_deadline,
                      now=now, policy=policy, zone=timezone_for(complaint.region_code))
    if decision is None:
        return 0
    if decision.end:
        _leave(complaint)
    breach = decision.breach
    if breach is None:
        return 0
    complaint.escalation_deadline = breach.deadline
    complaint.escalation_next_at = decision.next_step_at
    for level in decision.steps:
        await _step(session, complaint, breach, level, now=now)
    if decision.steps:
        await announce(session, complaint_changed(complaint.id, complaint.region_code))
    return len(decision.steps)


def _leave(complaint: Complaint) -> None:
    """The complaint moved on: it leaves its ladder (the timeline keeps the steps it took)."""
    complaint.escalation_level = EscalationLevel.NONE
    complaint.escalation_deadline = None
    complaint.escalated_at = None
    complaint.escalation_next_at = None


async def _step(session: AsyncSession, complaint: Complaint, breach: Breach, level: EscalationLevel, *,
                now: datetime) -> None:
    complaint.escalation_level = level
    complaint.escalated_at = now
    marker = f"escalate:{breach.deadline}:{level.value}:{breach.due.isoformat()}"
    recorded = await session.scalar(select(TimelineEvent.id).where(
        TimelineEvent.complaint_id == complaint.id, TimelineEvent.source_system == NATIONAL_SYSTEM,
        TimelineEvent.source_event_id == marker))
    if recorded is not None:  # this very step was taken before (the deadline was met, then unmet again)
        return
    session.add(TimelineEvent(
        complaint_id=complaint.id, kind=EventKind.ESCALATED, actor=SYSTEM_ACTOR.name, actor_role=None,
        source_system=NATIONAL_SYSTEM, source_event_id=marker, occurred_at=now, recorded_at=now,
        text=f"Batas waktu {LABELS[breach.deadline]} terlampaui: dieskalasi ke {LEVEL_WORDS[level]}",
        details={"deadline": breach.deadline, "level": level.value, "due": breach.due.isoformat()},
    ))
    record_notice(session, complaint, EscalatedNotice(
        tracking_id=complaint.tracking_id, occurred_at=now, status=complaint.status,
        region_code=complaint.region_code, source_system=NATIONAL_SYSTEM, deadline=breach.deadline, level=level,
        due=breach.due), now=now)
