"""Reading complaints for the API: validate arguments, then ask the store in scope."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from hub.domain.tracking import InvalidTrackingId, TrackingId
from hub.domain.vocabulary import Channel, ComplaintType, Status
from hub.resolvers.access_log import note_rows
from hub.resolvers.context import Context
from hub.resolvers.errors import BadInput
from hub.store import complaint_reads
from hub.store.complaint_queries import ComplaintFilter, ComplaintOrder
from hub.store.read_rows import ComplaintRow, ComplaintSelection, PageOfRows
from hub.store.pagination import InvalidCursor


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
    agency_ids: Sequence[int] | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    sla_breached: bool | None = None,
    text: str | None = None,
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
    return ComplaintFilter(
        region_codes=tuple(region_codes or ()),
        province_code=province_code,
        statuses=tuple(statuses or ()),
        types=tuple(types or ()),
        category_codes=tuple(category_codes or ()),
        channels=tuple(channels or ()),
        agency_ids=tuple(agency_ids or ()),
        created_from=created_from,
        created_to=created_to,
        sla_breached=sla_breached,
        text=text,
    )


async def complaints_page(
    ctx: Context, *, where: ComplaintFilter, order: ComplaintOrder, first: int, after: str | None,
    selection: ComplaintSelection,
) -> PageOfRows:
    limit = ctx.settings.max_page_size
    if not 1 <= first <= limit:
        raise BadInput(f"`first` must be between 1 and {limit}, got {first}", field="first")
    try:
        page = await ctx.read(
            complaint_reads.read_page, ctx.viewer, where=where, order=order, first=first, after=after, now=ctx.now,
            selection=selection,
        )
    except InvalidCursor as exc:
        raise BadInput(str(exc), field="after") from None
    note_rows(ctx, page.complaints)
    return page


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
