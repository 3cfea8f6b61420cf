"""Reading complaints for the API: validate arguments, then ask the store in scope."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from hub.domain import global_ids
from hub.domain.escalation import EscalationLevel
from hub.domain.tracking import InvalidTrackingId, TrackingId
from hub.domain.vocabulary import Channel, ComplaintType, Status
from hub.resolvers.access_log import note_rows
from hub.resolvers.context import Context
from hub.resolvers.errors import BadInput
from hub.resolvers.paging import page_request
from hub.store import complaint_queries, complaint_reads
from hub.store.complaint_queries import ComplaintFilter, ComplaintOrder, default_order
from hub.store.keyset import PageRequest
from hub.store.pagination import InvalidCursor
from hub.store.read_rows import ComplaintRow, ComplaintSelection, PageOfRows

MAX_RADIUS_KM = 500
T = TypeVar("T")

DEFAULT_FIRST = 20  # complaints of a page when neither `first` nor `last` is given


async def check_region_codes(ctx: Context, codes: Sequence[str], *, field: str) -> None:
    regions = await ctx.loaders.region.load_many(list(codes))
    unknown = [code for code, region in zip(codes, regions, strict=True) if region is None]
    if unknown:
        raise BadInput(f"unknown region code(s) {', '.join(unknown)} in `{field}`; use Kemendagri codes such as 61 or 61.71", field=field)


def _aware(moment: datetime | None, field: str) -> datetime | None:
    if moment is None:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise BadInput(f"`filter.{field}` {moment.isoformat()} is out of range", field=f"filter.{field}") from None


async def build_filter(
    ctx: Context,
    *,
    region_codes: Sequence[str] | None = None,
    province_code: str | None = None,
    statuses: Sequence[Status] | None = None,
    types: Sequence[ComplaintType] | None = None,
    category_codes: Sequence[str] | None = None,
    channels: Sequence[Channel] | None = None,
    agency_ids: Sequence[str] | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    sla_breached: bool | None = None,
    escalation_levels: Sequence[EscalationLevel] | None = None,
    text: str | None = None,
    resolve_due_from: datetime | None = None,
    resolve_due_to: datetime | None = None,
    within: Any = None,
    near: Any = None,
) -> ComplaintFilter:
    if region_codes:
        await check_region_codes(ctx, region_codes, field="filter.regionCodes")
    if province_code is not None:
        await check_region_codes(ctx, [province_code], field="filter.provinceCode")
        if "." in province_code:
            raise BadInput(f"`filter.provinceCode` {province_code} is a regency or city; give a province code such as 61", field="filter.provinceCode")
    if category_codes:
        categories = await ctx.loaders.category.load_many(list(category_codes))
        unknown = [code for code, row in zip(category_codes, categories, strict=True) if row is None]
        if unknown:
            raise BadInput(f"unknown category code(s) {', '.join(unknown)} in `filter.categoryCodes`", field="filter.categoryCodes")
    created_from, created_to = _aware(created_from, "createdFrom"), _aware(created_to, "createdTo")
    if created_from and created_to and created_from > created_to:
        raise BadInput("`filter.createdFrom` is after `filter.createdTo`", field="filter.createdFrom")
    if text is not None and len(text) > 200:
        raise BadInput("`filter.text` is longer than 200 characters", field="filter.text")
    resolve_due_from, resolve_due_to = _aware(resolve_due_from, "resolveDueFrom"), _aware(resolve_due_to, "resolveDueTo")
    agency_keys = [global_ids.decode(str(ref), "Agency") for ref in agency_ids or ()]
    if None in agency_keys:
        raise BadInput("`filter.agencyIds` must be global ids of agencies", field="filter.agencyIds")
    return ComplaintFilter(
        region_codes=tuple(region_codes or ()),
        province_code=province_code,
        statuses=tuple(statuses or ()),
        types=tuple(types or ()),
        category_codes=tuple(category_codes or ()),
        channels=tuple(channels or ()),
        agency_ids=tuple(key for key in agency_keys if key is not None),
        created_from=created_from,
        created_to=created_to,
        sla_breached=sla_breached,
        escalation_levels=tuple(escalation_levels or ()),
        text=text,
        resolve_due_from=resolve_due_from,
        resolve_due_to=resolve_due_to,
        within=_box(within),
        near=_near(near),
    )


def _degrees(value: float, low: float, high: float, field: str) -> float:
    if not math.isfinite(value) or not low <= value <= high:
        raise BadInput(f"`{field}` must be between {low:g} and {high:g} degrees, got {value}", field=field)
    return float(value)


def _box(within: Any) -> tuple[float, float, float, float] | None:
    if within is None:
        return None
    south = _degrees(within.south, -90, 90, "filter.within.south")
    north = _degrees(within.north, -90, 90, "filter.within.north")
    west = _degrees(within.west, -180, 180, "filter.within.west")
    east = _degrees(within.east, -180, 180, "filter.within.east")
    if south > north or west > east:
        raise BadInput("`filter.within` needs south <= north and west <= east", field="filter.within")
    return south, west, north, east


def _near(near: Any) -> tuple[float, float, float] | None:
    if near is None:
        return None
    latitude = _degrees(near.latitude, -90, 90, "filter.near.latitude")
    longitude = _degrees(near.longitude, -180, 180, "filter.near.longitude")
    if not math.isfinite(near.radius_km) or not 0 < near.radius_km <= MAX_RADIUS_KM:
        raise BadInput(f"`filter.near.radiusKm` must be more than 0 and at most {MAX_RADIUS_KM} km",
                       field="filter.near.radiusKm")
    return latitude, longitude, float(near.radius_km)


def order_of(asked: ComplaintOrder | None, where: ComplaintFilter) -> ComplaintOrder:
    """The order asked for, else :func:`~hub.store.complaint_queries.default_order` (RELEVANCE when searching text)."""
    return ComplaintOrder(asked) if asked is not None else default_order(where)


async def complaints_page(
    ctx: Context, *, where: ComplaintFilter, order: ComplaintOrder, first: int | None, after: str | None,
    selection: ComplaintSelection, last: int | None = None, before: str | None = None,
) -> PageOfRows:
    page = await read_page(ctx, complaint_reads.read_page, window_of(ctx, first=first, after=after, last=last,
                                                                     before=before),
                           where=where, order=order, selection=selection)
    note_rows(ctx, page.complaints)
    return page


def window_of(ctx: Context, *, first: int | None, after: str | None, last: int | None = None,
              before: str | None = None) -> PageRequest:
    """The page asked for, checked: ``first`` after ``after`` or ``last`` before ``before``; 20 by default."""
    return page_request(first=first, after=after, last=last, before=before, default=DEFAULT_FIRST,
                        cap=ctx.settings.max_page_size)


async def read_page(ctx: Context, read: Callable[..., Awaitable[T]], window: PageRequest, *, where: ComplaintFilter,
                    order: ComplaintOrder, **kwargs: Any) -> T:
    """The page ``window`` (checked by :func:`window_of`) read by ``read``, a store function; a backward window
    is passed on as ``last`` and ``before``."""
    if window.backward:
        kwargs.update(last=window.last, before=window.before)
    try:
        return await ctx.read(read, ctx.viewer, where=where, order=order, first=window.first or 0, after=window.after,
                              now=ctx.now, **kwargs)
    except InvalidCursor as exc:
        raise BadInput(str(exc), field="before" if window.backward else "after") from None


async def complaint_by_tracking_id(ctx: Context, tracking_id: str, *, selection: ComplaintSelection) -> ComplaintRow | None:
    try:
        TrackingId.parse(tracking_id)
    except InvalidTrackingId as exc:
        raise BadInput(str(exc), field="trackingId") from None
    found = await ctx.read(complaint_reads.id_by_tracking_id, ctx.viewer, tracking_id)
    if found is None:
        return None
    return (await complaints_by_ids(ctx, [found], selection=selection)).get(found)


async def complaints_by_ids(ctx: Context, ids: Sequence[int], *, selection: ComplaintSelection) -> dict[int, ComplaintRow]:
    found = await ctx.read(complaint_reads.read_by_ids, ctx.viewer, ids, selection=selection)
    note_rows(ctx, found.values())
    return found


async def count(ctx: Context, where: ComplaintFilter) -> int:
    """How many complaints match ``where`` that the caller may see, across all pages (``totalCount``)."""
    return await ctx.read(complaint_queries.count_complaints, ctx.viewer, where=where, now=ctx.now)
