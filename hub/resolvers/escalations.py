"""The per-region view of escalated complaints, for national and region admins."""

from __future__ import annotations

from hub.domain.vocabulary import Role
from hub.resolvers.complaints import check_region_codes
from hub.resolvers.context import Context
from hub.resolvers.errors import BadInput, NotAllowed
from hub.store.escalations import RegionEscalations, escalations_by_region


async def escalations(ctx: Context, *, province_code: str | None = None) -> list[RegionEscalations]:
    if ctx.viewer.role not in (Role.NATIONAL_ADMIN, Role.REGION_ADMIN):
        raise NotAllowed("only national and region admins may see escalations")
    if province_code is not None:
        await check_region_codes(ctx, [province_code], field="provinceCode")
        if "." in province_code:
            raise BadInput(f"`provinceCode` {province_code} is a regency or city; give a province code such as 61",
                           field="provinceCode")
    return await ctx.read(escalations_by_region, ctx.viewer, province_code=province_code)
