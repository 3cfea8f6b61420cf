"""Reading pages of complaints for the API without ORM instances: one statement
for the page with every relation it asks for, plain rows out.

A :class:`ComplaintSelection` says which columns and relations the caller
selected (the resolvers derive it from the GraphQL selection). The page is
then one statement: the keyset page of complaints (scoped by
:func:`hub.store.scope.visible_clause`, filtered, ordered, limited) joined to
its region, the region's parent, agency and category, with each complaint's
sources and latest timeline events folded in as JSON arrays by the database
(``json_agg`` on PostgreSQL, ``json_group_array`` on SQLite). Reporters'
identities are a second statement, only for the complaints whose reporter
the caller may see (:func:`hub.domain.access.can_see_reporter`), so an
identity the caller may not see never leaves the database.

Counting (``totalCount``) stays :func:`hub.store.complaint_queries.count_complaints`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Select, Text, and_, case, cast, func, or_, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from hub.domain.access import Viewer, can_see_reporter
from hub.store.complaint_queries import ComplaintFilter, ComplaintOrder, Sorting, filter_clauses, sorted_by
from hub.store.models import Agency, Category, ComplaintSource, Region, Reporter, TimelineEvent
from hub.store.models import Complaint as ComplaintModel
from hub.store.pagination import Cursor
from hub.store.read_rows import (
    ALL_COLUMNS,
    BASE_COLUMNS,
    AgencyRow,
    CategoryRow,
    ComplaintRow,
    ComplaintSelection,
    PageOfRows,
    RegionRow,
    ReporterRow,
)

__all__ = ["ComplaintRow", "ComplaintSelection", "PageOfRows", "page_ids", "read_by_ids", "read_page", "id_by_tracking_id"]
from hub.store import search
from hub.store.scope import visible_clause

COMPLAINTS = ComplaintModel.__table__
# What scope, cursors and every relation lean on: always read.


def _iso(dialect: str, moment: ColumnElement[Any]) -> ColumnElement[Any]:
    """A stored UTC moment written as the API writes datetimes (Python's isoformat of an aware UTC datetime)."""
    if dialect == "postgresql":
        micro = case((func.date_trunc("second", moment) == moment, ""), else_=func.to_char(moment, ".US"))
        return func.to_char(moment, 'YYYY-MM-DD"T"HH24:MI:SS') + micro + "+00:00"
    # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff"
    micro = case((func.substr(moment, 21, 6).in_(["", "000000"]), ""), else_="." + func.substr(moment, 21, 6))
    return func.substr(moment, 1, 10) + "T" + func.substr(moment, 12, 8) + micro + "+00:00"


def _json_rows(dialect: str, values: Sequence[ColumnElement[Any]], order: Sequence[ColumnElement[Any]]) -> ColumnElement[Any]:
    """One JSON array of arrays, as text for orjson."""
    if dialect == "postgresql":
        return cast(func.json_agg(aggregate_order_by(func.json_build_array(*values), *order)), Text)
    return func.json_group_array(func.json_array(*values), type_=Text)  # rows come in the subquery's order


def _embedded_json(dialect: str, value: ColumnElement[Any]) -> ColumnElement[Any]:
    """A JSON column as a value inside the JSON rows (SQLite keeps it as text; ``json()`` embeds it)."""
    return value if dialect == "postgresql" else func.json(value)


@dataclass(frozen=True, slots=True)
class _Template:
    """The statement for a selection, made once: ``where`` narrows it to a page."""

    query: Select[Any]
    page: Any  # the complaints alias the page's ids are matched on
    names: tuple[str, ...]

    def where(self, ids: Any, order: ComplaintOrder | None) -> Select[Any]:
        if order is not None and order.ranked:  # ids come with their rank: join them, read the rank last
            ranked = ids.subquery("ranked")
            page = self.page.c
            return (self.query.add_columns(ranked.c.rank).join(ranked, ranked.c.id == page.id)
                    .order_by(ranked.c.rank.desc(), page.created_at.desc(), page.id.desc()))
        query = self.query.where(self.page.c.id.in_(ids))
        if order is not None:
            key = self.page.c[order.column.key]
            query = query.order_by(*((key.desc(), self.page.c.id.desc()) if order.descending else (key.asc(), self.page.c.id.asc())))
        return query


@lru_cache(maxsize=256)
def _template(selection: ComplaintSelection, dialect: str) -> _Template:
    """Complaints with the selected relations (region, its parent, agency and
    category joined; sources and latest events as JSON), for ids given later."""
    page = COMPLAINTS.alias("page")
    names = tuple(_columns(selection))
    outer: list[Any] = [page.c[name] for name in names]
    source: Any = page
    if selection.region:
        region = Region.__table__.alias("region")
        outer += [region.c.code, region.c.name, region.c.level, region.c.parent_code]
        source = source.join(region, region.c.code == page.c.region_code)
        if selection.region_parent:
            parent = Region.__table__.alias("parent")
            outer += [parent.c.code, parent.c.name, parent.c.level, parent.c.parent_code]
            source = source.outerjoin(parent, parent.c.code == region.c.parent_code)
    if selection.agency:
        agency = Agency.__table__.alias("agency")
        outer += [agency.c.id, agency.c.name, agency.c.short_name, agency.c.region_code]
        source = source.outerjoin(agency, agency.c.id == page.c.agency_id)
    if selection.category:
        category = Category.__table__.alias("category")
        outer += [category.c.code, category.c.name, category.c.resolve_days]
        source = source.outerjoin(category, category.c.code == page.c.category_code)
    if selection.sources:
        s = ComplaintSource.__table__.alias("source")
        held = (
            select(s.c.source_system, s.c.source_id, s.c.source_updated_at, s.c.first_seen_at, s.c.last_seen_at,
                   s.c.details, s.c.id)
            .where(s.c.complaint_id == page.c.id)
            .order_by(s.c.first_seen_at, s.c.id)
            .correlate(page)
            .subquery("held")
        )
        outer.append(
            select(_json_rows(dialect, (held.c.source_system, held.c.source_id, _iso(dialect, held.c.source_updated_at),
                                        _iso(dialect, held.c.first_seen_at), _iso(dialect, held.c.last_seen_at),
                                        held.c.details),
                              (held.c.first_seen_at, held.c.id)))
            .scalar_subquery()
        )
    if selection.timeline:
        e = TimelineEvent.__table__.alias("event")
        events = (
            select(e.c.occurred_at, e.c.id, e.c.kind, e.c.from_status, e.c.to_status, e.c.text, e.c.actor,
                   e.c.actor_role, e.c.source_system, e.c.recorded_at, e.c.details)
            .where(e.c.complaint_id == page.c.id)
            .order_by(e.c.occurred_at.desc(), e.c.id.desc())
        )
        if selection.timeline_last is not None:
            events = events.limit(selection.timeline_last)
        latest = events.correlate(page).subquery("latest")
        outer.append(
            select(_json_rows(dialect, (_iso(dialect, latest.c.occurred_at), latest.c.kind, latest.c.from_status,
                                        latest.c.to_status, latest.c.text, latest.c.actor, latest.c.actor_role,
                                        latest.c.source_system, _iso(dialect, latest.c.recorded_at),
                                        _embedded_json(dialect, latest.c.details)),
                              (latest.c.occurred_at.desc(), latest.c.id.desc())))
            .scalar_subquery()
        )
    return _Template(select(*outer).select_from(source), page, names)


def page_ids(
    viewer: Viewer, where: ComplaintFilter, order: ComplaintOrder, *, first: int, after: str | None, now: datetime,
    dialect: str, last: int | None = None, before: str | None = None,
) -> Select[Any]:
    """The ids of the scoped, filtered keyset page (``first + 1`` rows after ``after``, or with ``last``,
    ``last + 1`` rows before ``before``, nearest it first); under RELEVANCE, their rank too.

    A cursor holds the row's sort keys (under RELEVANCE: its score, created_at
    and id), so the next page starts strictly after the last row, and a page
    before ``before`` ends strictly before it.
    """
    sort = sorted_by(order, where, dialect=dialect)
    scope = (visible_clause(viewer), *filter_clauses(sort.where, now=now))
    backward = last is not None  # a backward page walks the ordering the other way
    size, mark = (last, before) if last is not None else (first, after)
    if order.ranked:
        return _ranked_ids(sort, scope, size=size, mark=mark, backward=backward)
    descending = sort.descending != backward
    query = select(COMPLAINTS.c.id).select_from(sort.source).where(*scope)
    if mark:
        cursor = Cursor.decode(mark, order=order.value, datetime_positions=(0,), int_positions=(1,), length=2)
        query = query.where(_after(sort.keys, cursor.key, descending=descending))
    return query.order_by(*(key.desc() if descending else key.asc() for key in sort.keys)).limit(size + 1)


def _ranked_ids(sort: Sorting, scope: Sequence[ColumnElement[bool]], *, size: int, mark: str | None,
                backward: bool) -> Select[Any]:
    """Ids and scores of a RELEVANCE page: the newest :data:`~hub.store.search.RANKED_MATCHES` matches
    scored once, the best ``size + 1`` after the cursor ``mark`` (``backward``: the worst ``size + 1``
    better than it).

    The scores are computed in a subquery the planner keeps apart (``OFFSET 0``
    or its LIMIT), so the cursor's condition compares computed scores rather
    than scoring again; on PostgreSQL the newest matches are found first (ids
    only) and only they are scored.
    The limit bounds a search for a word thousands of complaints hold: the
    planner walks ``created_at`` newest first until it has that many matches
    (or, for a rarer word, reads its few matches from the search index) and
    scores only those; paging ends after them (``totalCount`` still counts all).
    """
    newest_first = (COMPLAINTS.c.created_at.desc(), COMPLAINTS.c.id.desc())
    if sort.source is COMPLAINTS:  # PostgreSQL: the score reads the vector, so only the kept matches are scored
        newest = (select(COMPLAINTS.c.id, COMPLAINTS.c.created_at).where(*scope).order_by(*newest_first)
                  .limit(search.RANKED_MATCHES).subquery("newest"))
        score = select(sort.keys[0]).where(COMPLAINTS.c.id == newest.c.id).scalar_subquery()  # by primary key
        scored = select(newest.c.id, score.label("rank"), newest.c.created_at).offset(0).subquery("scored")
    else:  # SQLite: the FTS5 matches joined carry their scores already
        scored = (select(COMPLAINTS.c.id, sort.keys[0].label("rank"), COMPLAINTS.c.created_at)
                  .select_from(sort.source).where(*scope).order_by(*newest_first).limit(search.RANKED_MATCHES)
                  .subquery("scored"))
    keys = (scored.c.rank, scored.c.created_at, scored.c.id)
    query = select(scored.c.id, scored.c.rank)
    descending = not backward
    if mark:
        cursor = Cursor.decode(mark, order=ComplaintOrder.RELEVANCE.value, float_positions=(0,),
                               datetime_positions=(1,), int_positions=(2,), length=3)
        query = query.where(_after(keys, cursor.key, descending=descending))
    return query.order_by(*(key.desc() if descending else key.asc() for key in keys)).limit(size + 1)


def _after(keys: Sequence[ColumnElement[Any]], values: Sequence[Any], *, descending: bool) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the order of ``keys``."""
    (key, *rest), (value, *more) = keys, values
    beyond = key < value if descending else key > value
    return or_(beyond, and_(key == value, _after(rest, more, descending=descending))) if rest else beyond


def _columns(selection: ComplaintSelection) -> list[str]:
    wanted = set(selection.columns) | set(BASE_COLUMNS)
    return [name for name in ALL_COLUMNS if name in wanted]


async def read_page(
    session: AsyncSession,
    viewer: Viewer,
    *,
    where: ComplaintFilter,
    order: ComplaintOrder,
    first: int,
    after: str | None,
    now: datetime,
    selection: ComplaintSelection,
    last: int | None = None,
    before: str | None = None,
) -> PageOfRows:
    """A page of complaints the viewer may see, with the selected relations: ``first`` after ``after``, or
    ``last`` before ``before``; in the ordering asked for either way."""
    dialect = (await session.connection()).dialect.name
    ids = page_ids(viewer, where, order, first=first, after=after, now=now, dialect=dialect, last=last,
                   before=before)
    # the ordering's column is read too: the page's order and its cursors need it
    reading = replace(selection, columns=selection.columns | {order.column.key})
    rows = await _read(session, viewer, ids, reading, order=order)
    if last is not None:  # the extra row read is the one furthest from `before`: the first in order
        more = len(rows) > last
        return PageOfRows(complaints=rows[1:] if more else rows, has_next_page=before is not None, order=order,
                          has_previous_page=more)
    return PageOfRows(complaints=rows[:first], has_next_page=len(rows) > first, order=order,
                      has_previous_page=after is not None)


async def read_by_ids(
    session: AsyncSession, viewer: Viewer, ids: Sequence[int], *, selection: ComplaintSelection
) -> dict[int, ComplaintRow]:
    """Complaints by id that the viewer may see (merged ones included), with the selected relations."""
    visible = select(COMPLAINTS.c.id).where(COMPLAINTS.c.id.in_(list(ids)), visible_clause(viewer))
    return {row.id: row for row in await _read(session, viewer, visible, selection, order=None)}


async def id_by_tracking_id(session: AsyncSession, viewer: Viewer, tracking_id: str) -> int | None:
    """The id of the complaint with this tracking id; a merged duplicate's id finds the kept complaint."""
    c = COMPLAINTS.c
    found = (await session.execute(
        select(c.id, c.merged_into_id).where(c.tracking_id == tracking_id.strip(), visible_clause(viewer))
    )).first()
    seen: set[int] = set()
    while found is not None and found.merged_into_id is not None and found.id not in seen:
        seen.add(found.id)
        found = (await session.execute(
            select(c.id, c.merged_into_id).where(c.id == found.merged_into_id, visible_clause(viewer))
        )).first()
    return found.id if found is not None else None


async def _read(
    session: AsyncSession, viewer: Viewer, ids: Select[Any], selection: ComplaintSelection, *,
    order: ComplaintOrder | None,
) -> list[ComplaintRow]:
    connection = await session.connection()  # Core rows: no ORM on reads
    template = _template(selection, connection.dialect.name)
    result_rows = (await connection.execute(template.where(ids, order))).all()
    names = template.names
    complaints = [_complaint(row, names, selection) for row in result_rows]
    if order is not None and order.ranked:
        for complaint, row in zip(complaints, result_rows, strict=True):
            complaint.extra["rank"] = row[-1]
    if selection.reporter:
        await _attach_reporters(connection, viewer, complaints)
    return complaints


def _complaint(row: Sequence[Any], names: tuple[str, ...], selection: ComplaintSelection) -> ComplaintRow:
    n = len(names)
    values = dict(zip(names, row[:n], strict=True))
    found = ComplaintRow(id=values["id"], values=values, selection=selection)
    at = n
    if selection.region:
        found.region = RegionRow(*row[at:at + 4])
        at += 4
        if selection.region_parent:
            if row[at] is not None:
                found.region.parent = RegionRow(*row[at:at + 4])
            at += 4
    if selection.agency:
        found.agency = AgencyRow(*row[at:at + 4]) if row[at] is not None else None
        at += 4
    if selection.category:
        found.category = CategoryRow(*row[at:at + 3]) if row[at] is not None else None
        at += 3
    if selection.sources:
        found.source_items = _decoded(row[at])
        at += 1
    if selection.timeline:
        found.event_items = _decoded(row[at])[::-1]  # the statement gives them newest first
    return found


def _decoded(value: Any) -> list[list[Any]]:
    if value is None:
        return []
    return orjson.loads(value) if isinstance(value, (str, bytes)) else value


async def _attach_reporters(connection: AsyncConnection, viewer: Viewer, complaints: list[ComplaintRow]) -> None:
    """Reporters' identities, read only where the viewer may see them."""
    for complaint in complaints:
        complaint.reporter_visible = can_see_reporter(viewer, complaint.facts)
    ids = {c.values["reporter_id"] for c in complaints if c.reporter_visible and c.values["reporter_id"] is not None}
    if not ids:
        return
    r = Reporter.__table__
    found = {row.id: ReporterRow(row.name, row.phone, row.email)
             for row in await connection.execute(select(r.c.id, r.c.name, r.c.phone, r.c.email).where(r.c.id.in_(ids)))}
    for complaint in complaints:
        if complaint.reporter_visible:
            complaint.reporter = found.get(complaint.values["reporter_id"])


