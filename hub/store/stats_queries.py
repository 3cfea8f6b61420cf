"""Statistics of the national record, grouped, always within the viewer's scope.

One aggregate statement per call computes every figure of every group
(totals, completed, follow-up decided / on time, SLA breaches per kind, rating)
over ``visible_clause(viewer)`` and the complaint filter, so a region admin's
statistics cover their regions only and the public's cover non-confidential
complaints only. Percentiles of hours to resolution come from the same
statement on PostgreSQL and from one sorted read on SQLite (see
:mod:`hub.store.stats_sql`).

Groups with no complaints are listed too, with zeros: every status and channel;
every category; every month of the requested range; every province, or every
regency and city, within the filter and the viewer's regions. Region filters
are turned into ``region_code IN (...)`` lists read from the regions table so
the composite index on ``(region_code, status, created_at)`` serves them on
both databases. Agencies are the exception: of thousands, only those with
complaints in the answer are listed (``""`` for complaints not yet
dispositioned to any).
"""

from __future__ import annotations

import enum
import heapq
from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Dialect, String, cast, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.access import Viewer
from hub.domain.regions import province_of
from hub.domain.vocabulary import Channel, RegionLevel, Role, Status
from hub.store import stats_cache
from hub.store import stats_sql as q
from hub.store.complaint_queries import ComplaintFilter, filter_clauses
from hub.store.deadlines import follow_up_breached_clause, resolve_breached_clause, verify_breached_clause
from hub.store.models import Agency, Category, Complaint, Region
from hub.store.scope import visible_clause


class GroupBy(enum.StrEnum):
    REGION = "REGION"
    PROVINCE = "PROVINCE"
    CATEGORY = "CATEGORY"
    STATUS = "STATUS"
    CHANNEL = "CHANNEL"
    AGENCY = "AGENCY"
    MONTH = "MONTH"


@dataclass(frozen=True, slots=True)
class GroupStats:
    key: str
    label: str
    total: int = 0
    completed: int = 0
    follow_up_decided: int = 0
    follow_up_on_time: int = 0
    verify_breaches: int = 0
    follow_up_breaches: int = 0
    resolve_breaches: int = 0
    rated: int = 0
    average_rating: float | None = None
    median_hours: float | None = None
    p90_hours: float | None = None

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.total if self.total else None

    @property
    def follow_up_on_time_rate(self) -> float | None:
        return self.follow_up_on_time / self.follow_up_decided if self.follow_up_decided else None

    @property
    def breaches(self) -> int:
        return self.verify_breaches + self.follow_up_breaches + self.resolve_breaches


@dataclass(frozen=True, slots=True)
class StatsResult:
    group_by: GroupBy
    groups: list[GroupStats]
    overall: GroupStats
    computed_at: datetime

    @classmethod
    def load(cls, payload: dict[str, Any], computed_at: datetime) -> StatsResult:
        return cls(group_by=GroupBy(payload["group_by"]), groups=[GroupStats(**g) for g in payload["groups"]],
                   overall=GroupStats(**payload["overall"]), computed_at=computed_at)


async def region_codes_in(session: AsyncSession, province_code: str) -> list[str]:
    rows = await session.scalars(select(Region.code).where(Region.parent_code == province_code).order_by(Region.code))
    return list(rows)


async def _scope_clauses(
    session: AsyncSession, viewer: Viewer, where: ComplaintFilter, *, now: datetime
) -> list[ColumnElement[bool]]:
    """The viewer's scope and the filter, with a province filter as an IN list."""
    clauses = [visible_clause(viewer)]
    if where.province_code:
        codes = await region_codes_in(session, where.province_code)
        clauses.append(Complaint.region_code.in_(codes))
        where = replace(where, province_code=None)
    return clauses + filter_clauses(where, now=now)


def _key(group_by: GroupBy, dialect: Dialect) -> ColumnElement[Any]:
    match group_by:
        case GroupBy.REGION:
            return Complaint.region_code.expression
        case GroupBy.PROVINCE:
            return func.substr(Complaint.region_code, 1, 2)
        case GroupBy.CATEGORY:
            return func.coalesce(Complaint.category_code, "")
        case GroupBy.STATUS:
            return Complaint.status.expression
        case GroupBy.CHANNEL:
            return Complaint.channel.expression
        case GroupBy.AGENCY:
            return func.coalesce(cast(Complaint.agency_id, String), "")
        case GroupBy.MONTH:
            return q.month_of(dialect)


async def aggregate(
    session: AsyncSession, clauses: list[ColumnElement[bool]], key: ColumnElement[str], *, now: datetime,
    with_total: bool = False,
) -> tuple[dict[str, GroupStats], GroupStats | None]:
    """Every figure per value of ``key`` over the complaints matching ``clauses``.

    With ``with_total`` the figures of all groups together come from the same
    pass: PostgreSQL adds the empty grouping set; on SQLite the sorted
    durations already read are merged for the overall percentiles.
    """
    dialect = session.get_bind().dialect
    hours = q.hours_to_resolve(dialect)
    postgres = q.is_postgres(dialect)
    columns: list[ColumnElement[Any]] = [
        key.label("key"),
        func.count().label("total"),
        q.count_where(q.completed_clause()).label("completed"),
        q.count_where(q.follow_up_decided_clause(now)).label("follow_up_decided"),
        q.count_where(q.follow_up_on_time_clause(now)).label("follow_up_on_time"),
        q.count_where(verify_breached_clause(now)).label("verify_breaches"),
        q.count_where(follow_up_breached_clause(now)).label("follow_up_breaches"),
        q.count_where(resolve_breached_clause(now)).label("resolve_breaches"),
        func.count(Complaint.rating).label("rated"),
        func.avg(Complaint.rating).label("average_rating"),
    ]
    grouping: ColumnElement = key
    if postgres:
        columns += [
            func.percentile_cont(0.5).within_group(hours).label("median_hours"),
            func.percentile_cont(0.9).within_group(hours).label("p90_hours"),
        ]
        if with_total:
            columns.append(func.grouping(key).label("is_total"))
            grouping = func.grouping_sets(key, text("()"))
    rows = (await session.execute(select(*columns).where(*clauses).group_by(grouping))).mappings().all()
    found: dict[str, GroupStats] = {}
    total: GroupStats | None = None
    for row in rows:
        values = {name: row[name] for name in row.keys() if name not in ("key", "is_total")}
        values = {k: (float(v) if k in ("average_rating", "median_hours", "p90_hours") and v is not None else v)
                  for k, v in values.items()}
        if row.get("is_total"):
            total = GroupStats(key="*", label="all", **values)
        else:
            found[str(row["key"])] = GroupStats(key=str(row["key"]), label=str(row["key"]), **values)
    if not postgres and found:
        durations: dict[str, list[float]] = defaultdict(list)
        query = select(key, hours).where(*clauses, Complaint.resolved_at.is_not(None)).order_by(key, hours)
        for group, value in (await session.execute(query)).all():
            durations[str(group)].append(float(value))
        for group, group_hours in durations.items():
            found[group] = replace(found[group], median_hours=q.percentile(group_hours, 0.5),
                                   p90_hours=q.percentile(group_hours, 0.9))
        if with_total:
            every = list(heapq.merge(*durations.values()))
            total = replace(_summed(list(found.values())), median_hours=q.percentile(every, 0.5),
                            p90_hours=q.percentile(every, 0.9))
    return found, total


async def _universe(
    session: AsyncSession, viewer: Viewer, where: ComplaintFilter, group_by: GroupBy, found: dict[str, GroupStats],
    *, now: datetime,
) -> dict[str, str]:
    """Every group key the answer lists (found or empty), with its label, in display order."""
    if group_by is GroupBy.STATUS:
        return {s.value: s.value for s in Status}
    if group_by is GroupBy.CHANNEL:
        return {c.value: c.value for c in Channel}
    if group_by is GroupBy.AGENCY:
        # thousands of agencies: only those with complaints in the answer are listed
        ids = [int(key) for key in found if key]
        names = dict((await session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(ids)))).all()) if ids else {}
        listed = {str(i): f"{names.get(i, '?')}" for i in sorted(ids, key=lambda i: names.get(i, ""))}
        if "" in found:
            listed[""] = "(no agency yet)"
        return listed
    if group_by is GroupBy.CATEGORY:
        rows = (await session.execute(select(Category.code, Category.name).order_by(Category.code))).all()
        labels = dict(rows)
        keys = [k for k in labels if not where.category_codes or k in where.category_codes]
        if "" in found:
            keys.append("")
            labels[""] = "(uncategorised)"
        return {k: labels[k] for k in keys}
    if group_by is GroupBy.MONTH:
        first = q.wib_month(where.created_from) if where.created_from else min(found, default=q.wib_month(now))
        last = q.wib_month(where.created_to - timedelta(microseconds=1)) if where.created_to else q.wib_month(now)
        return {m: m for m in q.month_range(first, max(last, max(found, default=first)))}
    level = (Region.level == RegionLevel.PROVINCE) if group_by is GroupBy.PROVINCE else (
        Region.level != RegionLevel.PROVINCE)
    rows = (await session.execute(select(Region.code, Region.name).where(level).order_by(Region.code))).all()
    return {code: name for code, name in rows if _region_listed(code, viewer, where, group_by) or code in found}


def _region_listed(code: str, viewer: Viewer, where: ComplaintFilter, group_by: GroupBy) -> bool:
    """Whether a region with no complaints is still listed (with zeros)."""
    def within(codes: set[str] | frozenset[str]) -> bool:
        if group_by is GroupBy.PROVINCE:
            return any(province_of(c) == code for c in codes)
        return code in codes or province_of(code) in codes

    if viewer.role is Role.REGION_ADMIN and not within(viewer.region_codes):
        return False
    if viewer.role is Role.AGENCY_OFFICER:
        return False
    if where.region_codes and not within(set(where.region_codes)):
        return False
    if where.province_code:
        return province_of(code) == where.province_code
    return True


async def group_stats(
    session: AsyncSession, viewer: Viewer, *, where: ComplaintFilter, group_by: GroupBy, now: datetime,
    overall_percentiles: bool = False, refresh: bool = False,
) -> StatsResult:
    """Figures per group plus the overall figures (counts summed from the groups).

    The overall median and 90th percentile cost a little more (a grouping set
    on PostgreSQL, a merge on SQLite), so they are computed only when
    ``overall_percentiles`` asks for them. Slow answers are kept for a few
    minutes (:mod:`hub.store.stats_cache`); ``refresh`` recomputes and stores.
    """
    question = {"where": asdict(where), "group_by": group_by.value, "overall_percentiles": overall_percentiles}

    async def compute() -> StatsResult:
        return await _compute(session, viewer, where=where, group_by=group_by, now=now,
                              overall_percentiles=overall_percentiles)

    return await stats_cache.cached(session, stats_cache.cache_key(viewer, question), compute, now=now,
                                    dump=stats_cache.dump_dataclass, load=StatsResult.load, force=refresh,
                                    worth_keeping=lambda result: result.overall.total >= stats_cache.MIN_KEPT_COMPLAINTS)


async def _compute(
    session: AsyncSession, viewer: Viewer, *, where: ComplaintFilter, group_by: GroupBy, now: datetime,
    overall_percentiles: bool,
) -> StatsResult:
    clauses = await _scope_clauses(session, viewer, where, now=now)
    dialect = session.get_bind().dialect
    found, total = await aggregate(session, clauses, _key(group_by, dialect), now=now, with_total=overall_percentiles)
    labels = await _universe(session, viewer, where, group_by, found, now=now)
    groups = [replace(found.get(k) or GroupStats(key=k, label=label), label=label) for k, label in labels.items()]
    overall = _summed(list(found.values()))
    if total is not None:
        overall = replace(overall, median_hours=total.median_hours, p90_hours=total.p90_hours)
    return StatsResult(group_by=group_by, groups=groups, overall=overall, computed_at=now)


def _summed(groups: list[GroupStats]) -> GroupStats:
    counts = {name: sum(getattr(g, name) for g in groups) for name in (
        "total", "completed", "follow_up_decided", "follow_up_on_time", "verify_breaches", "follow_up_breaches",
        "resolve_breaches", "rated")}
    rating_sum = sum((g.average_rating or 0.0) * g.rated for g in groups)
    average = rating_sum / counts["rated"] if counts["rated"] else None
    return GroupStats(key="*", label="all", average_rating=average, **counts)
