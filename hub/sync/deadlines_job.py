"""The deadline job: closes unanswered resolutions and records breaches, once each.

Run every minute by the scheduler (any number of hub processes may run it:
both steps are idempotent). ``now`` is a parameter so tests can move time.

- A ``RESOLVED`` complaint whose reporter did not answer by ``answer_due``
  becomes ``CLOSED`` (actor ``system``), as the national guideline says.
- When a deadline (verify, follow_up, resolve) becomes breached, one
  ``DEADLINE_BREACHED`` timeline event records it, naming the deadline in its
  text and in ``details = {"deadline": ..., "due": ...}``; the event's
  ``source_event_id`` (``breach:<deadline>``) makes a second run a no-op.
  A postponed complaint's clocks are paused, so it breaches nothing.
- A breach nobody met climbs the escalation ladder (:mod:`hub.sync.escalations`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, literal, or_, select, true
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from hub.domain.escalation import EscalationPolicy
from hub.domain.lifecycle import Action
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import EventKind, Status
from hub.store.change_feed import announce, complaint_changed
from hub.store.complaint_writes import NATIONAL_SYSTEM
from hub.store.deadlines import follow_up_breached_clause, resolve_breached_clause, verify_breached_clause
from hub.store.lifecycle_writes import SYSTEM_ACTOR, transition
from hub.store.models import Complaint, TimelineEvent
from hub.store.types import UTCDateTime
from hub.sync.escalations import run_escalations
from hub.sync.locks import region_lock

LABELS = {"verify": "verifikasi", "follow_up": "tindak lanjut pertama", "resolve": "penyelesaian"}
BATCH = 500


@dataclass
class DeadlineReport:
    closed: int = 0
    breaches: int = 0
    full: bool = False  # a batch was full: more may be due than this run handled
    escalations: int = 0  # steps up the ladder


@dataclass(frozen=True)
class Window:
    """Only complaints whose due date passed after ``since``, or with an id above ``after_id``
    (new since then): what can have become due since an earlier run that handled everything
    (:mod:`hub.sync.deadline_watch`). Each part follows an index."""

    since: datetime
    after_id: int

    def clause(self, due: Any, now: datetime) -> ColumnElement[bool]:
        passed = and_(due > literal(self.since, type_=UTCDateTime()), due <= literal(now, type_=UTCDateTime()))
        return or_(passed, Complaint.id > self.after_id)


async def run_deadlines(engine: AsyncEngine, *, levels: ServiceLevels, now: datetime,
                        window: Window | None = None, escalation: EscalationPolicy | None = None) -> DeadlineReport:
    """Close and record what is due at ``now`` (with ``window``, only among what it lets through), then take
    the escalation steps that are due (found by their own index, every run)."""
    report = DeadlineReport()

    def within(due: Any) -> ColumnElement[bool]:
        return window.clause(due, now) if window is not None else true()

    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as session, session.begin():
        due = list(await session.scalars(
            select(Complaint).where(Complaint.status == Status.RESOLVED, Complaint.answer_due < now,
                                    Complaint.merged_into_id.is_(None), within(Complaint.answer_due)).limit(BATCH)
        ))
        report.full |= len(due) == BATCH
        for complaint in due:
            await transition(session, complaint, Action.CLOSE, actor=SYSTEM_ACTOR, now=now, levels=levels,
                             text="Ditutup otomatis: pelapor tidak menanggapi dalam batas waktu",
                             details={"reason": "answer window passed"})
            report.closed += 1
    clauses = {"verify": verify_breached_clause, "follow_up": follow_up_breached_clause,
               "resolve": resolve_breached_clause}
    columns = {"verify": Complaint.verify_due, "follow_up": Complaint.follow_up_due, "resolve": Complaint.resolve_due}
    for deadline, clause in clauses.items():
        marker = f"breach:{deadline}"
        async with sessions() as session, session.begin():
            recorded = select(TimelineEvent.id).where(
                TimelineEvent.complaint_id == Complaint.id, TimelineEvent.source_system == NATIONAL_SYSTEM,
                TimelineEvent.source_event_id == marker,
            ).exists()
            rows = list(await session.execute(
                select(Complaint.id, Complaint.region_code, Complaint.verify_due, Complaint.follow_up_due,
                       Complaint.resolve_due)
                .where(clause(now), within(columns[deadline]), ~recorded, Complaint.merged_into_id.is_(None))
                .limit(BATCH)
            ))
            report.full |= len(rows) == BATCH
            for complaint_id, region_code, *dues in rows:
                due_at = dict(zip(("verify", "follow_up", "resolve"), dues, strict=True))[deadline]
                session.add(TimelineEvent(
                    complaint_id=complaint_id, kind=EventKind.DEADLINE_BREACHED, actor=SYSTEM_ACTOR.name, actor_role=None,
                    source_system=NATIONAL_SYSTEM, source_event_id=marker, occurred_at=due_at or now,
                    recorded_at=now, text=f"Batas waktu {LABELS[deadline]} terlampaui",
                    details={"deadline": deadline, "due": due_at.isoformat() if due_at else None},
                ))
                await announce(session, complaint_changed(complaint_id, region_code))
                report.breaches += 1
    report.escalations = await run_escalations(engine, policy=escalation or EscalationPolicy(), now=now)
    return report


async def scheduled_deadlines(engine: AsyncEngine, *, levels: ServiceLevels, now: datetime,
                              escalation: EscalationPolicy | None = None) -> DeadlineReport | None:
    """The scheduler's entry: one hub process at a time runs the job (others skip this minute)."""
    async with region_lock(engine, "deadlines") as lease:
        if lease is None:
            return None
        return await run_deadlines(engine, levels=levels, now=now, escalation=escalation)
