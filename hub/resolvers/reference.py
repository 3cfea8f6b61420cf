"""Regions, agencies and categories as the API lists them: public reference data, checked arguments."""

from __future__ import annotations

from hub.domain.vocabulary import RegionLevel
from hub.resolvers.complaints import check_region_codes
from hub.resolvers.context import Context
from hub.store import lookups
from hub.store.models import Agency, Category, Region


async def regions(ctx: Context, *, level: RegionLevel | None = None, parent_code: str | None = None) -> list[Region]:
    """Regions of a level and/or under a parent, by code; an unknown parent code is refused."""
    if parent_code is not None:
        await check_region_codes(ctx, [parent_code], field="parentCode")
    return await ctx.read(lookups.list_regions, level=level, parent_code=parent_code)


async def agencies(ctx: Context, *, region_code: str | None = None) -> list[Agency]:
    """Agencies (instansi / OPD) by region and name, of one region if given; an unknown code is refused."""
    if region_code is not None:
        await check_region_codes(ctx, [region_code], field="regionCode")
    return await ctx.read(lookups.list_agencies, region_code=region_code)


async def categories(ctx: Context) -> list[Category]:
    """The national categories, by name."""
    return await ctx.read(lookups.list_categories)
