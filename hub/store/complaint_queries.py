"""Reading complaints: the filter, the orderings and the count, always scoped (pages: ``complaint_reads``).

Every function takes the :class:`~hub.domain.access.Viewer` and applies
:func:`hub.store.scope.visible_clause`, so no caller can forget the scope.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, FromClause, and_, false, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.access import Viewer
from hub.domain.escalation import EscalationLevel
from hub.domain.vocabulary import Channel, ComplaintType, Status
from hub.store.deadlines import breached_clause
from hub.store.models import Complaint
from hub.store.scope import region_clause, visible_clause
from hub.store.search import relevance, text_matches


class ComplaintOrder(enum.StrEnum):
    CREATED_AT_DESC = "CREATED_AT_DESC"
    CREATED_AT_ASC = "CREATED_AT_ASC"
    UPDATED_AT_DESC = "UPDATED_AT_DESC"
    UPDATED_AT_ASC = "UPDATED_AT_ASC"
    VERIFY_DUE_ASC = "VERIFY_DUE_ASC"
    VERIFY_DUE_DESC = "VERIFY_DUE_DESC"
    RESOLVE_DUE_ASC = "RESOLVE_DUE_ASC"
    RESOLVE_DUE_DESC = "RESOLVE_DUE_DESC"
    RELEVANCE = "RELEVANCE"

    @property
    def column(self) -> Any:  # an InstrumentedAttribute: mypy would read that type as its value (a datetime)
        """The (never null) column the order sorts by; ``id`` breaks ties.

        RELEVANCE sorts by the search's score (:func:`hub.store.search.relevance`,
        computed per query, not a column), then by this column, newest first, then id.
        """
        return {
            "CREATED_AT": Complaint.created_at, "UPDATED_AT": Complaint.updated_at,
            "VERIFY_DUE": Complaint.verify_due, "RESOLVE_DUE": Complaint.resolve_due,
            "RELEVANCE": Complaint.created_at,
        }[self.name.rsplit("_", 1)[0]]

    @property
    def descending(self) -> bool:
        return self.ranked or self.name.endswith("DESC")

    @property
    def ranked(self) -> bool:
        """Whether the order is by relevance to ``ComplaintFilter.text``."""
        return self is ComplaintOrder.RELEVANCE


@dataclass(frozen=True, slots=True)
class ComplaintFilter:
    region_codes: Sequence[str] = ()
    province_code: str | None = None
    statuses: Sequence[Status] = ()
    types: Sequence[ComplaintType] = ()
    category_codes: Sequence[str] = ()
    channels: Sequence[Channel] = ()
    agency_ids: Sequence[int] = ()
    created_from: datetime | None = None
    created_to: datetime | None = None
    sla_breached: bool | None = None
    escalation_levels: Sequence[EscalationLevel] = ()
    text: str | None = None
    resolve_due_from: datetime | None = None
    resolve_due_to: datetime | None = None
    within: tuple[float, float, float, float] | None = None  # south, west, north, east
    near: tuple[float, float, float] | None = None  # latitude, longitude, radius in km
    include_merged: bool = False


def default_order(where: ComplaintFilter) -> ComplaintOrder:
    """The order of a list nobody asked to sort: best match first when searching text, else newest first."""
    return ComplaintOrder.RELEVANCE if where.text and where.text.strip() else ComplaintOrder.CREATED_AT_DESC


def filter_clauses(f: ComplaintFilter, *, now: datetime) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if f.region_codes:
        clauses.append(region_clause(set(f.region_codes)))
    if f.province_code:
        clauses.append(Complaint.region_code.startswith(f"{f.province_code}."))
    if f.statuses:
        clauses.append(Complaint.status.in_(list(f.statuses)))
    if f.types:
        clauses.append(Complaint.type.in_(list(f.types)))
    if f.category_codes:
        clauses.append(Complaint.category_code.in_(list(f.category_codes)))
    if f.channels:
        clauses.append(Complaint.channel.in_(list(f.channels)))
    if f.agency_ids:
        clauses.append(Complaint.agency_id.in_(list(f.agency_ids)))
    if f.created_from:
        clauses.append(Complaint.created_at >= f.created_from)
    if f.created_to:
        clauses.append(Complaint.created_at < f.created_to)
    if f.sla_breached is not None:
        breached = breached_clause(now)
        clauses.append(breached if f.sla_breached else ~breached)
    if f.escalation_levels:
        clauses.append(Complaint.escalation_level.in_(list(f.escalation_levels)))
    if f.text and f.text.strip():
        matches = text_matches(f.text)
        clauses.append(matches if matches is not None else false())  # only punctuation: nothing to find
    if f.resolve_due_from:
        clauses.append(Complaint.resolve_due >= f.resolve_due_from)
    if f.resolve_due_to:
        clauses.append(Complaint.resolve_due < f.resolve_due_to)
    if f.within:
        south, west, north, east = f.within
        clauses.append(and_(Complaint.latitude.between(south, north), Complaint.longitude.between(west, east)))
    if f.near:
        clauses.append(near_clause(*f.near))
    if not f.include_merged:
        clauses.append(Complaint.merged_into_id.is_(None))
    return clauses


KM_PER_DEGREE = 111.32


def near_clause(latitude: float, longitude: float, radius_km: float) -> ColumnElement[bool]:
    """Within ``radius_km`` of a point: a bounding box (index-friendly) then the equirectangular distance.

    Longitude degrees are scaled by the cosine of the point's latitude, computed
    here, so the SQL needs no trigonometry (SQLite has none); within 500 km of
    the equator, as all of Indonesia is, the error stays well under 1 %.
    """
    lat_span = radius_km / KM_PER_DEGREE
    lon_scale = max(math.cos(math.radians(latitude)), 0.01)
    lon_span = lat_span / lon_scale
    d_lat = (Complaint.latitude - latitude) * KM_PER_DEGREE
    d_lon = (Complaint.longitude - longitude) * (KM_PER_DEGREE * lon_scale)
    return and_(
        Complaint.latitude.between(latitude - lat_span, latitude + lat_span),
        Complaint.longitude.between(longitude - lon_span, longitude + lon_span),
        d_lat * d_lat + d_lon * d_lon <= radius_km * radius_km,
    )


@dataclass(frozen=True, slots=True)
class Sorting:
    """How a list sorted by an order reads: its FROM, the filter left to apply, its sort keys (id last)."""

    source: FromClause  # complaints; under RELEVANCE on SQLite, joined to the FTS5 matches
    where: ComplaintFilter  # the filter, less the text when the join already applies it
    keys: tuple[ColumnElement[Any], ...]
    descending: bool


def sorted_by(order: ComplaintOrder, where: ComplaintFilter, *, dialect: str) -> Sorting:
    """The sort keys of ``order``: its column then id, or under RELEVANCE the search's score
    (:func:`hub.store.search.relevance`), then created_at, then id, all descending."""
    table = Complaint.__table__
    if not order.ranked:
        return Sorting(table, where, (table.c[order.column.key], table.c.id), order.descending)
    found = relevance(where.text, dialect)
    if found.matches is None:
        return Sorting(table, where, (found.rank, table.c.created_at, table.c.id), True)
    joined = table.join(found.matches, found.matches.c.id == table.c.id)
    return Sorting(joined, replace(where, text=None), (found.rank, table.c.created_at, table.c.id), True)


async def count_complaints(session: AsyncSession, viewer: Viewer, *, where: ComplaintFilter, now: datetime) -> int:
    query = select(func.count()).select_from(Complaint).where(visible_clause(viewer), *filter_clauses(where, now=now))
    return (await session.execute(query)).scalar_one()


async def complaints_by_ids(session: AsyncSession, viewer: Viewer, ids: Sequence[int]) -> dict[int, Complaint]:
    rows = await session.scalars(select(Complaint).where(Complaint.id.in_(list(ids)), visible_clause(viewer)))
    return {row.id: row for row in rows}


async def complaint_by_tracking_id(session: AsyncSession, viewer: Viewer, tracking_id: str) -> Complaint | None:
    """The complaint with this tracking id; a merged duplicate's id finds the kept complaint."""
    found = await session.scalar(
        select(Complaint).where(Complaint.tracking_id == tracking_id.strip(), visible_clause(viewer))
    )
    seen: set[int] = set()
    while found is not None and found.merged_into_id is not None and found.id not in seen:
        seen.add(found.id)
        found = await session.scalar(
            select(Complaint).where(Complaint.id == found.merged_into_id, visible_clause(viewer))
        )
    return found
