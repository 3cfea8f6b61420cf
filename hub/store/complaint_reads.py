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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.access import ComplaintFacts, Viewer, can_see_reporter
from hub.domain.vocabulary import EventKind, Role, Status
from hub.store.complaint_queries import ComplaintFilter, ComplaintOrder, filter_clauses
from hub.store.models import Agency, Category, ComplaintSource, Region, Reporter, TimelineEvent
from hub.store.models import Complaint as ComplaintModel
from hub.store.pagination import Cursor
from hub.store.scope import visible_clause

COMPLAINTS = ComplaintModel.__table__
# What scope, cursors and every relation lean on: always read.
BASE_COLUMNS = ("id", "region_code", "privacy", "agency_id", "reporter_id", "category_code", "created_at", "updated_at")
BREACH_COLUMNS = ("verify_due", "verified_at", "closed_at", "follow_up_due", "first_follow_up_at", "resolved_at", "resolve_due")
ALL_COLUMNS = tuple(column.key for column in COMPLAINTS.columns)


@dataclass(frozen=True, slots=True)
class ComplaintSelection:
    """Which columns and relations of a complaint a request selected."""

    columns: frozenset[str] = frozenset(ALL_COLUMNS)
    region: bool = False
    region_parent: bool = False
    agency: bool = False
    category: bool = False
    reporter: bool = False
    sources: bool = False
    timeline: bool = False
    timeline_last: int | None = None  # the largest ``last`` asked for; None: every event

    def covers_timeline(self, last: int | None) -> bool:
        """Whether the events fetched include the latest ``last`` (None: all)."""
        if not self.timeline:
            return False
        return self.timeline_last is None or (last is not None and last <= self.timeline_last)


@dataclass(slots=True)
class RegionRow:
    code: str
    name: str
    level: Any
    parent_code: str | None
    parent: RegionRow | None = None


@dataclass(slots=True)
class AgencyRow:
    id: int
    name: str
    short_name: str | None
    region_code: str


@dataclass(slots=True)
class CategoryRow:
    code: str
    name: str
    resolve_days: int | None


@dataclass(slots=True)
class SourceRow:
    source_system: str
    source_id: str
    source_updated_at: datetime | None
    first_seen_at: datetime
    last_seen_at: datetime


@dataclass(slots=True)
class EventRow:
    kind: EventKind
    from_status: Status | None
    to_status: Status | None
    text: str | None
    actor: str
    actor_role: Role | None
    source_system: str
    occurred_at: datetime
    recorded_at: datetime


@dataclass(slots=True)
class ReporterRow:
    name: str | None
    phone: str | None
    email: str | None


@dataclass(slots=True)
class ComplaintRow:
    """A complaint as read for the API: the selected columns (others None) and
    the relations fetched with it (``None`` where not fetched)."""

    id: int
    values: dict[str, Any]
    selection: ComplaintSelection
    region: RegionRow | None = None
    agency: AgencyRow | None = None
    category: CategoryRow | None = None
    sources: list[SourceRow] | None = None
    events: list[EventRow] | None = None
    reporter: ReporterRow | None = None
    reporter_visible: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def facts(self) -> ComplaintFacts:
        v = self.values
        return ComplaintFacts(region_code=v["region_code"], privacy=v["privacy"], agency_id=v["agency_id"],
                              reporter_id=v["reporter_id"])


@dataclass(frozen=True, slots=True)
class PageOfRows:
    complaints: list[ComplaintRow]
    has_next_page: bool
    order: ComplaintOrder

    def cursor_of(self, complaint: ComplaintRow) -> str:
        return Cursor(order=self.order.value, key=(complaint.values[self.order.column.key], complaint.id)).encode()


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if text is not None else None


def _json_rows(session: AsyncSession, *values: ColumnElement[Any]) -> ColumnElement[Any]:
    if session.bind.dialect.name == "postgresql":
        return func.json_agg(func.json_build_array(*values))
    return func.json_group_array(func.json_array(*values))


def _page_query(
    viewer: Viewer, where: ComplaintFilter, order: ComplaintOrder, *, first: int, after: str | None, now: datetime,
    columns: Iterable[str], extra: Sequence[ColumnElement[bool]] = (),
) -> Select[Any]:
    """The scoped, filtered keyset page (``first + 1`` rows) of the chosen columns."""
    key = COMPLAINTS.c[order.column.key]
    query = select(*(COMPLAINTS.c[name] for name in columns)).where(
        visible_clause(viewer), *filter_clauses(where, now=now), *extra
    )
    if after:
        cursor = Cursor.decode(after, order=order.value, datetime_positions=(0,), int_positions=(1,), length=2)
        key_value, key_id = cursor.key
        if order.descending:
            query = query.where(or_(key < key_value, and_(key == key_value, COMPLAINTS.c.id < key_id)))
        else:
            query = query.where(or_(key > key_value, and_(key == key_value, COMPLAINTS.c.id > key_id)))
    ordering = (key.desc(), COMPLAINTS.c.id.desc()) if order.descending else (key.asc(), COMPLAINTS.c.id.asc())
    return query.order_by(*ordering).limit(first + 1)


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
) -> PageOfRows:
    """A page of complaints the viewer may see, with the selected relations."""
    page = _page_query(viewer, where, order, first=first, after=after, now=now, columns=_columns(selection))
    rows = await _read(session, viewer, page.subquery("page"), selection, order=order)
    return PageOfRows(complaints=rows[:first], has_next_page=len(rows) > first, order=order)


async def read_by_ids(
    session: AsyncSession, viewer: Viewer, ids: Sequence[int], *, selection: ComplaintSelection
) -> dict[int, ComplaintRow]:
    """Complaints by id that the viewer may see (merged ones included), with the selected relations."""
    columns = [COMPLAINTS.c[name] for name in _columns(selection)]
    found = select(*columns).where(COMPLAINTS.c.id.in_(list(ids)), visible_clause(viewer)).subquery("page")
    return {row.id: row for row in await _read(session, viewer, found, selection, order=None)}


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
    session: AsyncSession, viewer: Viewer, page: Any, selection: ComplaintSelection, *, order: ComplaintOrder | None
) -> list[ComplaintRow]:
    names = [c.key for c in page.columns]
    region = Region.__table__.alias("region")
    parent = Region.__table__.alias("parent")
    agency = Agency.__table__.alias("agency")
    category = Category.__table__.alias("category")
    outer: list[Any] = list(page.columns)
    source = page
    if selection.region:
        outer += [region.c.code, region.c.name, region.c.level, region.c.parent_code]
        source = source.join(region, region.c.code == page.c.region_code)
        if selection.region_parent:
            outer += [parent.c.code, parent.c.name, parent.c.level, parent.c.parent_code]
            source = source.outerjoin(parent, parent.c.code == region.c.parent_code)
    if selection.agency:
        outer += [agency.c.id, agency.c.name, agency.c.short_name, agency.c.region_code]
        source = source.outerjoin(agency, agency.c.id == page.c.agency_id)
    if selection.category:
        outer += [category.c.code, category.c.name, category.c.resolve_days]
        source = source.outerjoin(category, category.c.code == page.c.category_code)
    if selection.sources:
        s = ComplaintSource.__table__
        outer.append(
            select(_json_rows(session, s.c.id, s.c.source_system, s.c.source_id, s.c.source_updated_at,
                              s.c.first_seen_at, s.c.last_seen_at))
            .where(s.c.complaint_id == page.c.id)
            .scalar_subquery()
        )
    if selection.timeline:
        e = TimelineEvent.__table__
        mine = e.c.complaint_id == page.c.id
        if selection.timeline_last is not None:
            latest = e.alias("latest")
            picked = (
                select(latest.c.id)
                .where(latest.c.complaint_id == page.c.id)
                .order_by(latest.c.occurred_at.desc(), latest.c.id.desc())
                .limit(selection.timeline_last)
                .correlate(page)
            )
            mine = and_(mine, e.c.id.in_(picked))
        outer.append(
            select(_json_rows(session, e.c.id, e.c.occurred_at, e.c.kind, e.c.from_status, e.c.to_status, e.c.text,
                              e.c.actor, e.c.actor_role, e.c.source_system, e.c.recorded_at))
            .where(mine)
            .scalar_subquery()
        )
    query = select(*outer).select_from(source)
    if order is not None:
        key = page.c[order.column.key]
        query = query.order_by(*((key.desc(), page.c.id.desc()) if order.descending else (key.asc(), page.c.id.asc())))
    result = await session.execute(query)
    complaints = [_complaint(row, names, selection) for row in result]
    if selection.reporter:
        await _attach_reporters(session, viewer, complaints)
    return complaints


def _complaint(row: Sequence[Any], names: list[str], selection: ComplaintSelection) -> ComplaintRow:
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
        found.sources = _sources(row[at])
        at += 1
    if selection.timeline:
        found.events = _events(row[at])
    return found


def _decoded(value: Any) -> list[list[Any]]:
    if value is None:
        return []
    return orjson.loads(value) if isinstance(value, (str, bytes)) else value


def _sources(value: Any) -> list[SourceRow]:
    items = sorted(_decoded(value), key=lambda s: (s[4], s[0]))
    return [SourceRow(s[1], s[2], _moment(s[3]), _moment(s[4]), _moment(s[5])) for s in items]  # type: ignore[arg-type]


def _events(value: Any) -> list[EventRow]:
    items = sorted(((_moment(e[1]), e) for e in _decoded(value)), key=lambda p: (p[0], p[1][0]))
    return [
        EventRow(
            kind=EventKind(e[2]),
            from_status=Status(e[3]) if e[3] is not None else None,
            to_status=Status(e[4]) if e[4] is not None else None,
            text=e[5],
            actor=e[6],
            actor_role=Role(e[7]) if e[7] is not None else None,
            source_system=e[8],
            occurred_at=at,  # type: ignore[arg-type]
            recorded_at=_moment(e[9]),  # type: ignore[arg-type]
        )
        for at, e in items
    ]


async def _attach_reporters(session: AsyncSession, viewer: Viewer, complaints: list[ComplaintRow]) -> None:
    """Reporters' identities, read only where the viewer may see them."""
    for complaint in complaints:
        complaint.reporter_visible = can_see_reporter(viewer, complaint.facts)
    ids = {c.values["reporter_id"] for c in complaints if c.reporter_visible and c.values["reporter_id"] is not None}
    if not ids:
        return
    r = Reporter.__table__
    found = {row.id: ReporterRow(row.name, row.phone, row.email)
             for row in await session.execute(select(r.c.id, r.c.name, r.c.phone, r.c.email).where(r.c.id.in_(ids)))}
    for complaint in complaints:
        if complaint.reporter_visible:
            complaint.reporter = found.get(complaint.values["reporter_id"])


