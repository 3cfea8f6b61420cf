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
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Dialect, String, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.access import Viewer
from hub.domain.regions import province_of
from hub.domain.vocabulary import Channel, RegionLevel, Role, Status
from hub.store import stats_cache, stats_tally
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
    computed_at: datetime  # every figure but the percentiles is exact at this moment
    percentiles_computed_at: datetime  # the percentiles' moment: earlier when kept (hub.store.stats_cache)


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


def _key(group_by: GroupBy, dialect: Dialect) -> Any:  # a column or an expression over one
    match group_by:
        case GroupBy.REGION:
            return Complaint.region_code
        case GroupBy.PROVINCE:
            return func.substr(Complaint.region_code, 1, 2)
        case GroupBy.CATEGORY:
            return func.coalesce(Complaint.category_code, "")
        case GroupBy.STATUS:
            return Complaint.status
        case GroupBy.CHANNEL:
            return Complaint.channel
        case GroupBy.AGENCY:
            return func.coalesce(cast(Complaint.agency_id, String), "")
        case GroupBy.MONTH:
            return q.month_of(dialect)


async def aggregate(
    session: AsyncSession, clauses: list[ColumnElement[bool]], key: ColumnElement[str], *, now: datetime,
    percentiles: bool = True, with_total: bool = False,
) -> tuple[dict[str, GroupStats], q.Percentiles | None]:
    """Every figure per value of ``key`` over the complaints matching ``clauses``, read live.

    Counts come from one pass; the median and 90th percentile (when
    ``percentiles``) from a second over the resolved complaints, which with
    ``with_total`` also gives those of all groups together.
    """
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
    rows = (await session.execute(select(*columns).where(*clauses).group_by(key))).mappings().all()
    found: dict[str, GroupStats] = {}
    for row in rows:
        values = {name: row[name] for name in row.keys() if name != "key"}
        if values["average_rating"] is not None:
            values["average_rating"] = float(values["average_rating"])
        found[str(row["key"])] = GroupStats(key=str(row["key"]), label=str(row["key"]), **values)
    if not percentiles or not found:
        return found, None
    by_group, total, _ = await q.percentiles_by(session, clauses, key, with_total=with_total)
    for group, (median, p90) in by_group.items():
        found[group] = replace(found[group], median_hours=median, p90_hours=p90)
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
    percentiles: bool = True, overall_percentiles: bool = False, refresh: bool = False, live: bool = False,
) -> StatsResult:
    """Figures per group plus the overall figures (counts summed from the groups).

    Counts, completion, follow-ups, breaches and ratings are exact at ``now``:
    from the tallies the database keeps with every write when they can answer
    (:mod:`hub.store.stats_tally`), else computed live (``live`` forces that).
    The median and 90th percentile (``percentiles`` per group,
    ``overall_percentiles`` for all) are computed live; at national scale
    they are kept a few minutes (:mod:`hub.store.stats_cache`), which
    ``percentiles_computed_at`` tells; ``refresh`` recomputes and stores them.
    """
    tally_plan = None if live else stats_tally.plan(viewer, where, group_by.value)
    if tally_plan is None:
        return await _compute(session, viewer, where=where, group_by=group_by, now=now, percentiles=percentiles,
                              overall_percentiles=overall_percentiles)
    found = await _from_tally(session, tally_plan, viewer, where=where, group_by=group_by, now=now)
    result = await _result(session, viewer, where, group_by, found, None, now=now)
    if not (percentiles or overall_percentiles):
        return result
    kept = await _kept_percentiles(session, viewer, where=where, group_by=group_by, now=now,
                                   overall=overall_percentiles, refresh=refresh)
    groups = [replace(g, median_hours=kept.groups.get(g.key, (None, None))[0],
                      p90_hours=kept.groups.get(g.key, (None, None))[1]) if percentiles else g for g in result.groups]
    overall = result.overall
    if overall_percentiles and kept.overall is not None:
        overall = replace(overall, median_hours=kept.overall[0], p90_hours=kept.overall[1])
    return replace(result, groups=groups, overall=overall, percentiles_computed_at=kept.computed_at)


async def _from_tally(
    session: AsyncSession, plan: stats_tally.TallyPlan, viewer: Viewer, *, where: ComplaintFilter, group_by: GroupBy,
    now: datetime,
) -> dict[str, GroupStats]:
    """Exact counts from the tallies, plus the partial creation days at either end read live."""
    key = _key(group_by, session.get_bind().dialect)
    province_regions = await region_codes_in(session, where.province_code) if where.province_code else None
    undated = replace(where, created_from=None, created_to=None)
    counts = await stats_tally.counts(session, plan, viewer, where, now=now, province_regions=province_regions,
                                      live_clauses=await _scope_clauses(session, viewer, undated, now=now),
                                      live_key=key)
    for start, end in plan.partial_ranges:
        clauses = await _scope_clauses(session, viewer, replace(where, created_from=start, created_to=end), now=now)
        part, _ = await aggregate(session, clauses, key, now=now, percentiles=False)
        for group, g in part.items():
            counts[group] = counts.get(group, stats_tally.Counts()) + stats_tally.Counts(
                total=g.total, completed=g.completed, follow_up_decided=g.follow_up_decided,
                follow_up_on_time=g.follow_up_on_time, verify_breaches=g.verify_breaches,
                follow_up_breaches=g.follow_up_breaches, resolve_breaches=g.resolve_breaches, rated=g.rated,
                rating_sum=round((g.average_rating or 0.0) * g.rated))
    return {group: GroupStats(
        key=group, label=group, total=c.total, completed=c.completed, follow_up_decided=c.follow_up_decided,
        follow_up_on_time=c.follow_up_on_time, verify_breaches=c.verify_breaches,
        follow_up_breaches=c.follow_up_breaches, resolve_breaches=c.resolve_breaches, rated=c.rated,
        average_rating=c.rating_sum / c.rated if c.rated else None) for group, c in counts.items()}


async def _kept_percentiles(
    session: AsyncSession, viewer: Viewer, *, where: ComplaintFilter, group_by: GroupBy, now: datetime,
    overall: bool, refresh: bool,
) -> stats_cache.KeptPercentiles:
    question = {"where": asdict(where), "group_by": group_by.value, "overall": overall}

    async def compute() -> stats_cache.KeptPercentiles:
        clauses = await _scope_clauses(session, viewer, where, now=now)
        groups, total, resolved = await q.percentiles_by(session, clauses, _key(group_by, session.get_bind().dialect),
                                                         with_total=overall)
        return stats_cache.KeptPercentiles(groups=groups, overall=total, computed_at=now, resolved=resolved)

    return await stats_cache.cached(session, stats_cache.cache_key(viewer, question), compute, now=now,
                                    dump=stats_cache.dump_dataclass, load=stats_cache.KeptPercentiles.load,
                                    force=refresh, worth_keeping=lambda kept: kept.worth_keeping)


async def _compute(
    session: AsyncSession, viewer: Viewer, *, where: ComplaintFilter, group_by: GroupBy, now: datetime,
    percentiles: bool, overall_percentiles: bool,
) -> StatsResult:
    clauses = await _scope_clauses(session, viewer, where, now=now)
    found, total = await aggregate(session, clauses, _key(group_by, session.get_bind().dialect), now=now,
                                   percentiles=percentiles or overall_percentiles, with_total=overall_percentiles)
    return await _result(session, viewer, where, group_by, found, total, now=now)


async def _result(
    session: AsyncSession, viewer: Viewer, where: ComplaintFilter, group_by: GroupBy, found: dict[str, GroupStats],
    total: q.Percentiles | None, *, now: datetime,
) -> StatsResult:
    labels = await _universe(session, viewer, where, group_by, found, now=now)
    groups = [replace(found.get(k) or GroupStats(key=k, label=label), label=label) for k, label in labels.items()]
    overall = _summed(list(found.values()))
    if total is not None:
        overall = replace(overall, median_hours=total[0], p90_hours=total[1])
    return StatsResult(group_by=group_by, groups=groups, overall=overall, computed_at=now,
                       percentiles_computed_at=now)


def _summed(groups: list[GroupStats]) -> GroupStats:
    counts = {name: sum(getattr(g, name) for g in groups) for name in (
        "total", "completed", "follow_up_decided", "follow_up_on_time", "verify_breaches", "follow_up_breaches",
        "resolve_breaches", "rated")}
    rating_sum = sum((g.average_rating or 0.0) * g.rated for g in groups)
    average = rating_sum / counts["rated"] if counts["rated"] else None
    return GroupStats(key="*", label="all", average_rating=average, **counts)
