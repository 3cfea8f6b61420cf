"""Fresh statistics from tallies the database keeps with every complaint write.

Migration 0018 creates the tallies and the triggers that keep them: each
complaint write (ORM, bulk insert, upsert, COPY, delete, merge) updates them in
its own transaction, so a reader sees exactly the committed record. A tally
sums the unmerged complaints sharing a few dimensions and a WIB creation day or
month (:data:`TALLIES`); its ``_open`` companion counts deadlines still open by
UTC due day. Figures that depend on "now" are exact: deadlines settled late
are summed, open deadlines due on days already past are summed, and today's are
read live through the due-date indexes (migration 0014).

:func:`plan` picks the smallest tally that holds every dimension a question
needs: the viewer's scope (``visible_rule`` compiled over the tally's columns,
so the one scope rule keeps its meaning: privacy for the public, region for
region admins, agency for officers), the filter and the grouping. Questions it
cannot answer (text, place, type, breach or due filters, merged duplicates, a
reporter's own complaints, a range shorter than a whole WIB day) return
``None`` and are computed live. A creation range that does not start or end at
a WIB midnight is read from a day tally for its whole days and live for the
partial days at either end (:attr:`TallyPlan.partial_ranges`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Date,
    Dialect,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    cast,
    func,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from hub.domain.access import Viewer, visible_rule
from hub.domain.rules import Fact
from hub.domain.vocabulary import Status
from hub.store import stats_sql as q
from hub.store.complaint_queries import ComplaintFilter
from hub.store.models import Complaint
from hub.store.scope import compile_rule, region_clause
from hub.store.types import UTCDateTime

WIB = timezone(timedelta(hours=7))
MEASURES = ("total", "completed", "rated", "rating_sum", "follow_up_settled", "follow_up_late", "verify_late",
            "resolve_late")
# (name, dimensions, creation grain), as migration 0018; :func:`plan` takes the first that serves a
# question, so the smallest come first: at 1M complaints province × status has 11k rows (26k open),
# region 21k (99k open: 550 regions against 38 provinces), the others more
SPECS = (
    ("stats_province_status_month", ("province", "privacy", "status"), "month"),
    ("stats_region_month", ("region_code", "privacy"), "month"),
    ("stats_province_channel_month", ("province", "privacy", "channel"), "month"),
    ("stats_province_category_month", ("province", "privacy", "category_code"), "month"),
    ("stats_province_agency_month", ("province", "privacy", "agency_id"), "month"),
    ("stats_province_day", ("province", "privacy"), "day"),
)
# filter fields a tally can answer, and the dimension each needs
FILTER_DIMENSIONS = {"statuses": "status", "channels": "channel", "category_codes": "category_code",
                     "agency_ids": "agency_id"}
GROUP_DIMENSIONS = {"REGION": "region_code", "CATEGORY": "category_code", "STATUS": "status", "CHANNEL": "channel",
                    "AGENCY": "agency_id"}
_metadata = MetaData()  # not the models' metadata: the migration owns these tables


def _dimension_column(name: str) -> Column:
    return Column(name, Integer if name == "agency_id" else String(32), primary_key=True)


@dataclass(frozen=True)
class Tally:
    name: str
    dimensions: tuple[str, ...]
    grain: str  # "day" or "month"
    table: Table
    open: Table

    def column(self, name: str, *, open: bool = False) -> ColumnElement:
        return (self.open if open else self.table).c[name]


TALLIES = tuple(
    Tally(name, dimensions, grain,
          Table(name, _metadata, *[_dimension_column(d) for d in dimensions],
                Column("created_on", Date, primary_key=True), *[Column(m, BigInteger) for m in MEASURES]),
          Table(f"{name}_open", _metadata, *[_dimension_column(d) for d in dimensions],
                Column("created_on", Date, primary_key=True), Column("deadline", String(16), primary_key=True),
                Column("paused", Integer, primary_key=True), Column("due_on", Date, primary_key=True),
                Column("n", BigInteger)))
    for name, dimensions, grain in SPECS
)


@dataclass(frozen=True)
class Counts:
    """One group's exact counts: what ``GroupStats`` holds but percentiles, with the rating sum."""

    total: int = 0
    completed: int = 0
    follow_up_decided: int = 0
    follow_up_on_time: int = 0
    verify_breaches: int = 0
    follow_up_breaches: int = 0
    resolve_breaches: int = 0
    rated: int = 0
    rating_sum: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__))


@dataclass(frozen=True)
class TallyPlan:
    tally: Tally
    group_by: str
    first_day: date | None  # the whole WIB days the tally answers: [first_day, end_day)
    end_day: date | None
    partial_ranges: tuple[tuple[datetime, datetime], ...]  # creation ranges at either end, answered live


def _wib_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=WIB)


def _is_midnight(moment: datetime) -> bool:
    return moment.astimezone(WIB).timetz().replace(tzinfo=None) == time()


def plan(viewer: Viewer, where: ComplaintFilter, group_by: str) -> TallyPlan | None:
    """The tally answering this question exactly, or ``None`` when it must be computed live."""
    if (where.types or where.sla_breached is not None or where.escalation_levels or (where.text or "").strip()
            or where.resolve_due_from or where.resolve_due_to or where.within or where.near or where.include_merged):
        return None
    needed = {FILTER_DIMENSIONS[name] for name in FILTER_DIMENSIONS if getattr(where, name)}
    if where.region_codes:
        needed.add("region_code")
    if group_by in GROUP_DIMENSIONS:
        needed.add(GROUP_DIMENSIONS[group_by])
    start, end = where.created_from, where.created_to
    first_day = end_day = None
    partial: list[tuple[datetime, datetime]] = []
    if start is not None:
        first_day = start.astimezone(WIB).date() + timedelta(days=0 if _is_midnight(start) else 1)
        if not _is_midnight(start):
            partial.append((start, _wib_midnight(first_day)))
    if end is not None:
        end_day = end.astimezone(WIB).date()
        if not _is_midnight(end):
            partial.append((_wib_midnight(end_day), end))
    if first_day is not None and end_day is not None and first_day >= end_day:
        return None  # no whole day inside: narrow, read live
    whole_months = not partial and all(day is None or day.day == 1 for day in (first_day, end_day))
    for tally in TALLIES:
        dims = set(tally.dimensions)
        if "region_code" in dims:
            dims.add("province")
        if not needed <= dims or (tally.grain == "month" and not whole_months):
            continue
        if _scope(tally, viewer) is None:
            continue
        return TallyPlan(tally, group_by, first_day, end_day, tuple(partial))
    return None


def _scope(tally: Tally, viewer: Viewer, *, open: bool = False) -> ColumnElement[bool] | None:
    """``visible_rule(viewer)`` over the tally's columns; ``None`` when it needs a fact the tally lacks."""
    table = tally.open if open else tally.table
    facts = {Fact.PRIVACY: table.c.privacy}
    if "region_code" in tally.dimensions:
        facts[Fact.REGION_CODE] = table.c.region_code
    if "agency_id" in tally.dimensions:
        facts[Fact.AGENCY_ID] = table.c.agency_id  # 0 stands for none: no agency id is 0, so every atom holds alike
    try:
        return compile_rule(visible_rule(viewer), facts)
    except KeyError:
        return None


def _clauses(p: TallyPlan, viewer: Viewer, where: ComplaintFilter, province_regions: Sequence[str] | None, *,
             open: bool) -> list[ColumnElement[bool]]:
    tally = p.tally
    table = tally.open if open else tally.table
    scope = _scope(tally, viewer, open=open)
    assert scope is not None
    clauses = [scope]
    if where.region_codes:
        clauses.append(region_clause(set(where.region_codes), table.c.region_code))
    if where.province_code:
        if "province" in tally.dimensions:
            clauses.append(table.c.province == where.province_code)
        else:
            clauses.append(table.c.region_code.in_(list(province_regions or ())))
    for name, dimension in FILTER_DIMENSIONS.items():
        values = getattr(where, name)
        if values:
            clauses.append(table.c[dimension].in_([str(v) if dimension != "agency_id" else v for v in values]))
    if p.first_day is not None:
        clauses.append(table.c.created_on >= p.first_day)
    if p.end_day is not None:
        clauses.append(table.c.created_on < p.end_day)
    return clauses


def _key(p: TallyPlan, table: Table, dialect: Dialect) -> ColumnElement[Any]:
    match p.group_by:
        case "PROVINCE":
            return table.c.province if "province" in p.tally.dimensions else func.substr(table.c.region_code, 1, 2)
        case "MONTH":
            if q.is_postgres(dialect):
                return func.to_char(table.c.created_on, "YYYY-MM")
            return func.substr(cast(table.c.created_on, String), 1, 7)
        case "AGENCY":
            return case((table.c.agency_id == 0, ""), else_=cast(table.c.agency_id, String))
    return table.c[GROUP_DIMENSIONS[p.group_by]]


async def counts(
    session: AsyncSession, p: TallyPlan, viewer: Viewer, where: ComplaintFilter, *, now: datetime,
    province_regions: Sequence[str] | None, live_clauses: list[ColumnElement[bool]], live_key: ColumnElement[str],
) -> dict[str, Counts]:
    """Exact counts per group over the plan's whole days (the partial days are the caller's).

    ``live_clauses`` are the viewer's scope and the filter over ``complaints``
    without the creation range; ``live_key`` the grouping over ``complaints``:
    they read the deadlines falling due today, before ``now``.
    """
    dialect = session.get_bind().dialect
    table, open_table = p.tally.table, p.tally.open
    key = _key(p, table, dialect)
    sums = [func.coalesce(func.sum(table.c[m]), 0).label(m) for m in MEASURES]
    rows = (await session.execute(select(key.label("key"), *sums)
                                  .where(*_clauses(p, viewer, where, province_regions, open=False))
                                  .group_by(key))).mappings().all()
    found: dict[str, dict[str, int]] = {}
    for row in rows:
        found[str(row["key"])] = {m: int(row[m]) for m in MEASURES}
    # open deadlines due on days already past (UTC), by kind and whether the clocks are paused
    today = now.astimezone(UTC).date()
    open_key = _key(p, open_table, dialect)
    past: dict[str, dict[tuple[str, int], int]] = defaultdict(lambda: defaultdict(int))
    query = (select(open_key, open_table.c.deadline, open_table.c.paused, func.sum(open_table.c.n))
             .where(*_clauses(p, viewer, where, province_regions, open=True), open_table.c.due_on < today)
             .group_by(open_key, open_table.c.deadline, open_table.c.paused))
    for group, deadline, paused, n in (await session.execute(query)).all():
        past[str(group)][(deadline, int(paused))] += int(n)
    for group, values in (await _due_today(session, p, now=now, clauses=live_clauses, key=live_key)).items():
        for kind, n in values.items():
            past[group][kind] += n
    result: dict[str, Counts] = {}
    for group, m in found.items():
        if not m["total"]:
            continue  # every complaint of this key moved away or was merged
        due = past.get(group, {})

        def opened(deadline: str, *, paused: int | None = None, due: dict = due) -> int:
            return sum(n for (d, p_), n in due.items() if d == deadline and (paused is None or p_ == paused))

        result[group] = Counts(
            total=m["total"], completed=m["completed"], rated=m["rated"], rating_sum=m["rating_sum"],
            follow_up_decided=m["follow_up_settled"] + opened("follow_up"),
            follow_up_on_time=m["follow_up_settled"] - m["follow_up_late"] + opened("follow_up", paused=1),
            verify_breaches=m["verify_late"] + opened("verify", paused=0),
            follow_up_breaches=m["follow_up_late"] + opened("follow_up", paused=0),
            resolve_breaches=m["resolve_late"] + opened("resolve", paused=0),
        )
    return result


async def _due_today(
    session: AsyncSession, p: TallyPlan, *, now: datetime, clauses: list[ColumnElement[bool]],
    key: ColumnElement[str],
) -> dict[str, dict[tuple[str, int], int]]:
    """Open deadlines of the plan's complaints falling due today (UTC) before ``now``, read live."""
    c = Complaint
    midnight = datetime.combine(now.astimezone(UTC).date(), time(), tzinfo=UTC)

    def window(column: Any) -> ColumnElement[bool]:
        return and_(column >= literal(midnight, type_=UTCDateTime()), column < literal(now, type_=UTCDateTime()))

    kinds = {  # each read through the index on its due date (migration 0014), whatever else narrows
        "verify": (c.verify_due, and_(c.verified_at.is_(None), c.closed_at.is_(None))),
        "follow_up": (c.follow_up_due, and_(c.first_follow_up_at.is_(None), c.resolved_at.is_(None),
                                            c.closed_at.is_(None))),
        "resolve": (c.resolve_due, and_(c.resolved_at.is_(None), c.closed_at.is_(None))),
    }
    created = []
    if p.first_day is not None:
        created.append(c.created_at >= _wib_midnight(p.first_day))
    if p.end_day is not None:
        created.append(c.created_at < _wib_midnight(p.end_day))
    paused = c.status == Status.POSTPONED
    selects = []
    for kind, (due, still_open) in kinds.items():
        # the complaints falling due first (materialised, so the planner cannot prefer a region index)
        falling_due = select(c.id).where(window(due)).cte(f"due_{kind}").prefix_with("MATERIALIZED")
        selects.append(select(key.label("key"), literal(kind).label("kind"), q.count_where(paused).label("paused"),
                              func.count().label("n"))
                       .where(c.id.in_(select(falling_due.c.id)), *clauses, *created, still_open).group_by(key))
    found: dict[str, dict[tuple[str, int], int]] = defaultdict(lambda: defaultdict(int))
    for row in (await session.execute(union_all(*selects))).mappings().all():
        found[str(row["key"])][(row["kind"], 1)] += int(row["paused"])
        found[str(row["key"])][(row["kind"], 0)] += int(row["n"]) - int(row["paused"])
    return found


LONG_PAST = date(2000, 1, 1)  # the due day open deadlines due before yesterday are folded into


async def roll_up_open(engine: AsyncEngine, *, today: date) -> None:
    """Fold the open deadlines due before yesterday into one :data:`LONG_PAST` row per key.

    A question sums open deadlines due before today whatever their day, so the
    fold changes no figure; it keeps the ``_open`` companions as small as the
    keys of the open complaints (most open deadlines of a big record are long
    past due). Exact under concurrent writes: the rows folded are the ones the
    DELETE removed (``RETURNING``) on PostgreSQL, and SQLite has one writer. A
    deadline settling later subtracts from its real due day, a row the next
    fold takes in too. Run by the scheduler's ``stats-roll-up`` job.
    """
    cutoff = today - timedelta(days=1)
    async with engine.begin() as connection:
        postgres = q.is_postgres(connection.dialect)
        for tally in TALLIES:
            name = tally.open.name
            keys = [*tally.dimensions, "created_on", "deadline", "paused"]
            listed = ", ".join(keys)
            held = f"{name}." if postgres else ""
            upsert = (f"ON CONFLICT ({listed}, due_on) DO UPDATE SET n = {held}n + excluded.n")
            params = {"cutoff": cutoff, "past": LONG_PAST}
            if postgres:
                await connection.execute(text(
                    f"WITH gone AS (DELETE FROM {name} WHERE due_on < :cutoff AND due_on > :past RETURNING *) "
                    f"INSERT INTO {name} ({listed}, due_on, n) SELECT {listed}, CAST(:past AS date), sum(n) FROM gone "
                    f"GROUP BY {listed} HAVING sum(n) <> 0 ORDER BY {listed} {upsert}"), params)
            else:
                await connection.execute(text(
                    f"INSERT INTO {name} ({listed}, due_on, n) SELECT {listed}, :past, sum(n) FROM {name} "
                    f"WHERE due_on < :cutoff AND due_on > :past GROUP BY {listed} HAVING sum(n) <> 0 {upsert}"),
                    params)
                await connection.execute(text(f"DELETE FROM {name} WHERE due_on < :cutoff AND due_on > :past"),
                                         params)
