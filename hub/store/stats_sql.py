"""SQL pieces the statistics share, written once for SQLite and PostgreSQL.

- Months are calendar months in WIB (UTC+7, national time), so a complaint
  filed at 23:30 WIB on 31 January counts in January wherever it was filed.
- Hours to resolution are ``resolved_at - created_at`` of complaints that have
  a resolution time, as a float of hours.
- Median and 90th percentile use linear interpolation between the two nearest
  ranks (PostgreSQL's ``percentile_cont``). PostgreSQL computes them in the
  aggregate query; SQLite has no ordered-set aggregates, so its durations are
  fetched per group, sorted by the database, and interpolated by
  :func:`percentile` with the same rule. Both give identical figures.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Float, and_, case, cast, func, literal, not_, or_, select, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.vocabulary import Status
from hub.store.deadlines import follow_up_breached_clause
from hub.store.models import Complaint
from hub.store.types import UTCDateTime

WIB_OFFSET = timedelta(hours=7)
COMPLETED = (Status.RESOLVED, Status.CLOSED)


def is_postgres(dialect: Dialect) -> bool:
    return dialect.name == "postgresql"


def month_of(dialect: Dialect) -> ColumnElement[str]:
    """``YYYY-MM`` of ``created_at`` in WIB."""
    if is_postgres(dialect):
        return func.to_char(Complaint.created_at + literal(WIB_OFFSET), "YYYY-MM")
    return func.strftime("%Y-%m", Complaint.created_at, "+7 hours")


def hours_to_resolve(dialect: Dialect) -> ColumnElement[float]:
    """Hours from submission to resolution; NULL while unresolved."""
    if is_postgres(dialect):
        seconds = func.extract("epoch", Complaint.resolved_at - Complaint.created_at)
        return cast(seconds, Float(asdecimal=False)) / 3600.0
    days = func.julianday(Complaint.resolved_at) - func.julianday(Complaint.created_at)
    return cast(days * 24.0, Float(asdecimal=False))


def completed_clause() -> ColumnElement[bool]:
    return Complaint.status.in_(COMPLETED)


def follow_up_decided_clause(now: datetime) -> ColumnElement[bool]:
    """Dispositioned complaints whose first follow-up is settled: done, or overdue.

    A dispositioned complaint still inside its follow-up period counts neither
    way; the breach rule (follow-up, resolution or closure by the due date) is
    the one of :mod:`hub.store.deadlines`.
    """
    done = func.coalesce(Complaint.first_follow_up_at, Complaint.resolved_at, Complaint.closed_at)
    return and_(
        Complaint.follow_up_due.is_not(None),
        or_(done.is_not(None), Complaint.follow_up_due < literal(now, type_=UTCDateTime())),
    )


def follow_up_on_time_clause(now: datetime) -> ColumnElement[bool]:
    return and_(follow_up_decided_clause(now), not_(follow_up_breached_clause(now)))


def count_where(clause: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((clause, 1), else_=0)), 0)


def percentile(sorted_values: Sequence[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks, as ``percentile_cont``."""
    if not sorted_values:
        return None
    position = (len(sorted_values) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def month_range(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    months: list[str] = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def wib_month(moment: datetime) -> str:
    """``YYYY-MM`` of an aware moment in WIB."""
    return (moment.astimezone(UTC) + WIB_OFFSET).strftime("%Y-%m")


Percentiles = tuple[float | None, float | None]  # median and 90th percentile of hours to resolve


async def percentiles_by(
    session: AsyncSession, clauses: list[ColumnElement[bool]], key: ColumnElement[str], *, with_total: bool,
) -> tuple[dict[str, Percentiles], Percentiles | None, int]:
    """Median and 90th percentile of hours to resolve per value of ``key`` (and of all, ``with_total``),
    and how many resolved complaints they cover."""
    dialect = session.get_bind().dialect
    hours = hours_to_resolve(dialect)
    resolved = [*clauses, Complaint.resolved_at.is_not(None)]
    found: dict[str, Percentiles] = {}
    total: Percentiles | None = (None, None) if with_total else None
    if is_postgres(dialect):
        columns = [key.label("key"), func.percentile_cont(0.5).within_group(hours).label("median"),
                   func.percentile_cont(0.9).within_group(hours).label("p90"), func.count().label("n")]
        grouping: ColumnElement = key
        if with_total:
            columns.append(func.grouping(key).label("is_total"))
            grouping = func.grouping_sets(key, text("()"))
        counted = 0
        for row in (await session.execute(select(*columns).where(*resolved).group_by(grouping))).mappings().all():
            value = tuple(float(row[name]) if row[name] is not None else None for name in ("median", "p90"))
            if row.get("is_total"):
                total = value  # type: ignore[assignment]
            else:
                found[str(row["key"])] = value  # type: ignore[assignment]
                counted += int(row["n"])
        return found, total, counted
    durations: dict[str, list[float]] = defaultdict(list)
    for group, hours_taken in (await session.execute(select(key, hours).where(*resolved).order_by(key, hours))).all():
        durations[str(group)].append(float(hours_taken))
    found = {group: (percentile(values, 0.5), percentile(values, 0.9)) for group, values in durations.items()}
    if with_total:
        every = list(heapq.merge(*durations.values()))
        total = (percentile(every, 0.5), percentile(every, 0.9))
    return found, total, sum(len(values) for values in durations.values())
