"""The escalation ladder (eskalasi): who answers for a breached deadline that nobody met.

A breached deadline first stays with whoever handles the complaint (the
agency it was dispositioned to, or the region's verifiers before that). If
the complaint has not moved on ``working_days`` working days after the due
date, it climbs to the **region admin**; after as many again, to the
**national admin** (and the Ombudsman's webhook, a national setting)::

    NONE (the handler) --N working days--> REGION --N working days--> NATIONAL

"Not moved on" means the milestone the deadline guards is still missing
(verification, first follow-up, resolution), the complaint is open and it is
not ``POSTPONED``. The due date counts in the region's zone, as the deadline
itself does; since a postponement moves the due dates by the working days it
lasted, it pauses the ladder as well. When the complaint moves on the
escalation ends (the level goes back to ``NONE``); a later deadline that is
breached starts a ladder of its own.

Pure rules: :func:`outstanding` finds the breach that drives the ladder,
:func:`decide` says which steps to take now. The deadline job applies them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, tzinfo

from hub.domain.calendar import WorkingDayCalendar, default_calendar
from hub.domain.vocabulary import Status


class EscalationLevel(enum.StrEnum):
    NONE = "NONE"  # with its handler: the agency, or the region's verifiers before disposition
    REGION = "REGION"  # the region's admin (admin daerah)
    NATIONAL = "NATIONAL"  # the national admin (admin nasional), and the Ombudsman

    @property
    def rank(self) -> int:
        return LADDER.index(self)


LADDER = (EscalationLevel.NONE, EscalationLevel.REGION, EscalationLevel.NATIONAL)
DEADLINES = ("verify", "follow_up", "resolve")


@dataclass(frozen=True, slots=True)
class EscalationPolicy:
    working_days: int = 2  # further working days after the due date (and between steps) before each climb

    def __post_init__(self) -> None:
        if self.working_days < 1:
            raise ValueError("escalation_working_days must be at least 1 working day")


@dataclass(frozen=True, slots=True, kw_only=True)
class Clocks:
    """What the ladder reads of a complaint: its status, due dates and the milestones they guard."""

    status: Status
    closed_at: datetime | None
    verify_due: datetime | None
    verified_at: datetime | None
    follow_up_due: datetime | None
    first_follow_up_at: datetime | None
    resolve_due: datetime | None
    resolved_at: datetime | None

    @property
    def paused(self) -> bool:
        return self.status is Status.POSTPONED

    @property
    def open(self) -> bool:
        return self.closed_at is None and not self.status.is_final


@dataclass(frozen=True, slots=True)
class Breach:
    """A deadline past due whose milestone is still missing."""

    deadline: str  # verify, follow_up or resolve
    due: datetime


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do now: end the current ladder, then climb through ``steps`` (lowest first).

    ``breach`` is the ladder the complaint is on afterwards (None: none), and
    ``next_step_at`` when its next step falls due (None: at the top, or no ladder).
    """

    end: bool = False
    breach: Breach | None = None
    steps: tuple[EscalationLevel, ...] = ()
    next_step_at: datetime | None = None

def outstanding(clocks: Clocks, now: datetime) -> Breach | None:
    """The breach that drives the ladder: the earliest-due deadline past due and not met, if any."""
    if clocks.paused or not clocks.open:
        return None
    c = clocks
    missing = {
        "verify": (c.verify_due, c.verified_at),
        "follow_up": (c.follow_up_due, c.first_follow_up_at or c.resolved_at),
        "resolve": (c.resolve_due, c.resolved_at),
    }
    open_breaches = [Breach(name, due) for name, (due, done) in missing.items()
                     if due is not None and done is None and now > due]
    return min(open_breaches, key=lambda b: (b.due, DEADLINES.index(b.deadline)), default=None)


def step_due(due: datetime, level: EscalationLevel, *, policy: EscalationPolicy, zone: tzinfo,
             calendar: WorkingDayCalendar | None = None) -> datetime:
    """When a breach of ``due`` reaches ``level``: the end of the working day that many working days later."""
    calendar = calendar or default_calendar()
    return calendar.deadline(due.astimezone(zone), level.rank * policy.working_days)


def reached(breach: Breach, now: datetime, *, policy: EscalationPolicy, zone: tzinfo,
            calendar: WorkingDayCalendar | None = None) -> EscalationLevel:
    """The level a breach has reached by ``now``."""
    level = EscalationLevel.NONE
    for candidate in LADDER[1:]:
        if now > step_due(breach.due, candidate, policy=policy, zone=zone, calendar=calendar):
            level = candidate
    return level


def decide(clocks: Clocks, *, level: EscalationLevel, deadline: str | None, now: datetime,
           policy: EscalationPolicy, zone: tzinfo, calendar: WorkingDayCalendar | None = None) -> Decision | None:
    """The steps to take for a complaint at ``level`` on the ladder of ``deadline`` (None: on none).

    None means wait: a postponed complaint neither climbs nor leaves its
    ladder. A complaint that moved on leaves it (``end``). A breach of another
    deadline ends the current ladder and starts its own. Levels are never
    skipped: a job that did not run for a while takes every step it missed;
    and never go down while the same deadline stays unmet (a postponement
    that moved the due date later does not undo a step already taken).
    """
    if clocks.paused:
        return None
    breach = outstanding(clocks, now)
    if breach is None:
        return Decision(end=deadline is not None or level is not EscalationLevel.NONE)
    end = (deadline is not None or level is not EscalationLevel.NONE) and deadline != breach.deadline
    start = EscalationLevel.NONE if end else level
    target = reached(breach, now, policy=policy, zone=zone, calendar=calendar)
    steps = tuple(candidate for candidate in LADDER if start.rank < candidate.rank <= target.rank)
    top = max(start, target, key=lambda lvl: lvl.rank)
    above = LADDER[top.rank + 1] if top.rank + 1 < len(LADDER) else None
    next_step_at = step_due(breach.due, above, policy=policy, zone=zone, calendar=calendar) if above else None
    return Decision(end=end, breach=breach, steps=steps, next_step_at=next_step_at)
