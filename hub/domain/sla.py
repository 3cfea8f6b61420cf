"""Service levels (PermenPANRB 62/2018, revised by PermenPANRB 5/2025).

- verify within 3 working days of submission;
- first follow-up within 5 working days of disposition;
- resolve within N working days of submission (default 60; regions commonly
  use 2, 5, 14 or 60 depending on the complaint);
- the reporter answers a resolution within 10 working days, else it closes.

:func:`evaluate` turns a complaint's milestones into due dates and breach
flags. Periods are configuration (:class:`ServiceLevels`).

Postponement (tunda) pauses every clock: while the complaint waits for the
reporter no deadline is breached, and when it resumes each due date counted
from submission (verification, resolution: the only ones open before
verification) moves by the working days it waited
(:func:`paused_working_days`, accumulated in ``postponed_working_days``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Protocol

from hub.domain.calendar import WorkingDayCalendar, default_calendar
from hub.domain.vocabulary import Status


@dataclass(frozen=True, slots=True)
class ServiceLevels:
    verify_days: int = 3
    first_follow_up_days: int = 5
    resolve_days: int = 60
    reporter_answer_days: int = 10

    def __post_init__(self) -> None:
        for name in ("verify_days", "first_follow_up_days", "resolve_days", "reporter_answer_days"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1 working day")


@dataclass(frozen=True, slots=True)
class Milestones:
    """When a complaint reached the points the service levels count from/to."""

    submitted_at: datetime
    verified_at: datetime | None = None
    dispositioned_at: datetime | None = None
    first_follow_up_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    postponed_working_days: int = 0  # working days spent postponed (tunda), already over
    resolve_days: int | None = None  # per-complaint resolution period
    paused: bool = False  # postponed now: no deadline is breached


@dataclass(frozen=True, slots=True)
class SlaState:
    verify_due: datetime
    follow_up_due: datetime | None
    resolve_due: datetime
    answer_due: datetime | None
    verify_breached: bool
    follow_up_breached: bool
    resolve_breached: bool

    @property
    def any_breached(self) -> bool:
        return self.verify_breached or self.follow_up_breached or self.resolve_breached


def is_breached(due: datetime | None, done: datetime | None, now: datetime) -> bool:
    """A deadline is breached when it was met late, or is still open past due."""
    if due is None:
        return False
    return (done or now) > due


class DueDates(Protocol):
    """What :func:`breaches` reads of a complaint: a stored row, or a row read for the API."""

    @property
    def status(self) -> Status: ...
    @property
    def verify_due(self) -> datetime | None: ...
    @property
    def follow_up_due(self) -> datetime | None: ...
    @property
    def resolve_due(self) -> datetime | None: ...
    @property
    def verified_at(self) -> datetime | None: ...
    @property
    def first_follow_up_at(self) -> datetime | None: ...
    @property
    def resolved_at(self) -> datetime | None: ...
    @property
    def closed_at(self) -> datetime | None: ...


def breaches(c: DueDates, now: datetime) -> tuple[bool, bool, bool]:
    """(verify, follow-up, resolve) breached, by the same rule as the SQL clauses of ``hub.store.deadlines``."""
    if c.status == Status.POSTPONED:
        return (False, False, False)
    return (
        is_breached(c.verify_due, c.verified_at or c.closed_at, now),
        is_breached(c.follow_up_due, c.first_follow_up_at or c.resolved_at or c.closed_at, now),
        is_breached(c.resolve_due, c.resolved_at or c.closed_at, now),
    )


def paused_working_days(
    since: datetime, until: datetime, *, zone: tzinfo, calendar: WorkingDayCalendar | None = None
) -> int:
    """Working days a postponement lasted: those after the day it began, up to the day it ended.

    Counted in the region's zone, so postponing on a Monday and resuming on
    Friday of the same week pauses the clocks for 4 working days.
    """
    calendar = calendar or default_calendar()
    return calendar.working_days_between(since.astimezone(zone).date(), until.astimezone(zone).date())


def evaluate(
    milestones: Milestones,
    *,
    now: datetime,
    levels: ServiceLevels | None = None,
    calendar: WorkingDayCalendar | None = None,
) -> SlaState:
    levels = levels or ServiceLevels()
    calendar = calendar or default_calendar()
    m = milestones
    verify_due = calendar.deadline(m.submitted_at, levels.verify_days + m.postponed_working_days)
    follow_up_due = (
        calendar.deadline(m.dispositioned_at, levels.first_follow_up_days) if m.dispositioned_at else None
    )
    resolve_due = calendar.deadline(m.submitted_at, (m.resolve_days or levels.resolve_days) + m.postponed_working_days)
    answer_due = calendar.deadline(m.resolved_at, levels.reporter_answer_days) if m.resolved_at else None
    finished = m.resolved_at or m.closed_at
    if m.paused:
        return SlaState(verify_due=verify_due, follow_up_due=follow_up_due, resolve_due=resolve_due,
                        answer_due=answer_due, verify_breached=False, follow_up_breached=False,
                        resolve_breached=False)
    return SlaState(
        verify_due=verify_due,
        follow_up_due=follow_up_due,
        resolve_due=resolve_due,
        answer_due=answer_due,
        verify_breached=is_breached(verify_due, m.verified_at or m.closed_at, now),  # closed_at: left the lifecycle
        follow_up_breached=is_breached(follow_up_due, m.first_follow_up_at or finished, now),
        resolve_breached=is_breached(resolve_due, finished, now),
    )
