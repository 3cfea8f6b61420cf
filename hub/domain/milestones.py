"""How a status reached at a time moves a complaint's milestones.

Regional apps report statuses, not actions, and may skip steps (a complaint
can go from "Belum Diproses" straight to "Selesai"). Reaching a status implies
the milestones before it, stamped at the time the status was reached unless
they were already set. A reopening (back to ``IN_PROGRESS`` from ``RESOLVED``
or ``CLOSED``) clears the resolution so its clocks run again. Going back to
``VERIFIED`` from a disposition (not our authority, bukan wewenang) clears
the disposition and follow-up, so the next disposition starts the follow-up
clock afresh. Going back to ``SUBMITTED`` from verification or later (a
transfer to another region, which receives it as a submission) clears them
all but the submission.

Postponement (tunda) is a pause: reaching ``POSTPONED`` stamps
``postponed_at``; leaving it, by whatever route, adds the working days it
lasted to ``postponed_working_days`` (see :mod:`hub.domain.sla`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from hub.domain.calendar import WorkingDayCalendar
from hub.domain.sla import paused_working_days
from hub.domain.vocabulary import FINAL_STATUSES, Status

_VERIFIED_OR_LATER = {Status.VERIFIED, Status.DISPOSITIONED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED}
_DISPOSITIONED_OR_LATER = {Status.DISPOSITIONED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED}
_FOLLOWED_UP_OR_LATER = {Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED}
_RESOLVED_OR_LATER = {Status.RESOLVED, Status.CLOSED}


@dataclass(frozen=True, slots=True)
class Stamps:
    verified_at: datetime | None = None
    dispositioned_at: datetime | None = None
    first_follow_up_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    postponed_at: datetime | None = None  # while POSTPONED: since when
    postponed_working_days: int = 0  # postponements already over


def reach(stamps: Stamps, previous: Status, status: Status, at: datetime, *, zone: tzinfo | None = None,
          calendar: WorkingDayCalendar | None = None) -> Stamps:
    """The milestones after moving from ``previous`` to ``status`` at ``at``.

    ``zone`` is the region's, where working days are counted (default: ``at``'s).
    """
    s = stamps
    if status is Status.POSTPONED:
        if s.postponed_at is None:
            s = replace(s, postponed_at=at)
    elif s.postponed_at is not None:
        where = zone or at.tzinfo
        paused = paused_working_days(s.postponed_at, at, zone=where, calendar=calendar) if where is not None else 0
        s = replace(s, postponed_at=None, postponed_working_days=s.postponed_working_days + paused)
    if status is Status.IN_PROGRESS and previous in _RESOLVED_OR_LATER:
        s = replace(s, resolved_at=None, closed_at=None)
    if status is Status.VERIFIED and previous in _DISPOSITIONED_OR_LATER:
        s = replace(s, dispositioned_at=None, first_follow_up_at=None, resolved_at=None, closed_at=None)
    if status is Status.SUBMITTED and previous in _VERIFIED_OR_LATER:
        s = replace(s, verified_at=None, dispositioned_at=None, first_follow_up_at=None, resolved_at=None,
                    closed_at=None)
    if status in _VERIFIED_OR_LATER and s.verified_at is None:
        s = replace(s, verified_at=at)
    if status in _DISPOSITIONED_OR_LATER and s.dispositioned_at is None:
        s = replace(s, dispositioned_at=at)
    if status in _FOLLOWED_UP_OR_LATER and s.first_follow_up_at is None:
        s = replace(s, first_follow_up_at=at)
    if status in _RESOLVED_OR_LATER and s.resolved_at is None:
        s = replace(s, resolved_at=at)
    if status in FINAL_STATUSES and s.closed_at is None:
        s = replace(s, closed_at=at)
    if status not in FINAL_STATUSES and s.closed_at is not None:
        s = replace(s, closed_at=None)
    return s
