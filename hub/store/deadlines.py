"""Due dates and breaches of a stored complaint (rules in ``hub.domain.sla``).

Due dates are stored on the complaint so that lists can filter on them;
whether a deadline is breached depends on "now", so it is derived: in Python
by :func:`hub.domain.sla.evaluate` and in SQL by :func:`breached_clause`,
which states the same rule. While a complaint is ``POSTPONED`` its clocks
are paused: no deadline of it is breached (``_running``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, literal, or_

from hub.domain.regions import timezone_for
from hub.domain.sla import Milestones, ServiceLevels, SlaState, evaluate
from hub.domain.vocabulary import Status
from hub.store.models import Complaint
from hub.store.types import UTCDateTime


def milestones_of(complaint: Complaint, resolve_days: int | None = None) -> Milestones:
    zone = timezone_for(complaint.region_code)

    def local(moment: datetime | None) -> datetime | None:
        return moment.astimezone(zone) if moment else None

    return Milestones(
        submitted_at=complaint.created_at.astimezone(zone),
        verified_at=local(complaint.verified_at),
        dispositioned_at=local(complaint.dispositioned_at),
        first_follow_up_at=local(complaint.first_follow_up_at),
        resolved_at=local(complaint.resolved_at),
        closed_at=local(complaint.closed_at),
        postponed_working_days=complaint.postponed_working_days,
        resolve_days=resolve_days,
        paused=complaint.status == Status.POSTPONED,
    )


def refresh_due_dates(
    complaint: Complaint, *, levels: ServiceLevels, now: datetime, resolve_days: int | None = None
) -> SlaState:
    """Recompute and store ``complaint``'s due dates; return its SLA state."""
    state = evaluate(milestones_of(complaint, resolve_days), now=now, levels=levels)
    complaint.verify_due = state.verify_due
    complaint.follow_up_due = state.follow_up_due
    complaint.resolve_due = state.resolve_due
    complaint.answer_due = state.answer_due
    return state


def _at(now: datetime) -> ColumnElement[datetime]:
    return literal(now, type_=UTCDateTime())


def _running() -> ColumnElement[bool]:
    """The clocks run: the complaint is not postponed."""
    return Complaint.status != Status.POSTPONED


def verify_breached_clause(now: datetime) -> ColumnElement[bool]:
    return and_(_running(), Complaint.verify_due < func.coalesce(Complaint.verified_at, Complaint.closed_at, _at(now)))


def follow_up_breached_clause(now: datetime) -> ColumnElement[bool]:
    return and_(
        _running(),
        Complaint.follow_up_due.is_not(None),
        Complaint.follow_up_due
        < func.coalesce(Complaint.first_follow_up_at, Complaint.resolved_at, Complaint.closed_at, _at(now)),
    )


def resolve_breached_clause(now: datetime) -> ColumnElement[bool]:
    return and_(_running(), Complaint.resolve_due < func.coalesce(Complaint.resolved_at, Complaint.closed_at, _at(now)))


def breached_clause(now: datetime) -> ColumnElement[bool]:
    return or_(verify_breached_clause(now), follow_up_breached_clause(now), resolve_breached_clause(now))
