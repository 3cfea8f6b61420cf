"""Duplicate flags for the API: list the ones you may settle, dismiss one (merging settles it too).

Scope is the one rule (:mod:`hub.store.duplicate_flags` compiles it over
both complaints of a flag); dismissing needs the merge right over both, as
merging does (``hub.domain.actions.may_merge``).
"""

from __future__ import annotations

from hub.domain.actions import may_merge
from hub.resolvers.context import Context
from hub.resolvers.failures import Invalid, Missing, key_of
from hub.resolvers.mutations import actor_of, facts_of
from hub.resolvers.paging import read_page
from hub.store.duplicate_flags import FlagPage, FlagRow, FlagStatus, list_flags, settle
from hub.store.keyset import PageRequest
from hub.store.models import Complaint
from hub.store.sync_models import DuplicateFlag

MAX_FIRST = 100


async def flags_page(ctx: Context, *, status: FlagStatus | None, page: PageRequest) -> FlagPage:
    return await read_page(ctx, list_flags, ctx.viewer, status=status, page=page)


async def dismiss(ctx: Context, ref: str) -> FlagRow:
    """Settle a flag as not a duplicate; refused (as not found) unless the caller could merge the two."""
    flag_id = key_of(ref, "DuplicateFlag")
    async with ctx.write() as session:
        flag = await session.get(DuplicateFlag, flag_id)
        later = await session.get(Complaint, flag.complaint_id) if flag is not None else None
        earlier = await session.get(Complaint, flag.duplicate_of_id) if flag is not None else None
        if flag is None or later is None or earlier is None or not may_merge(ctx.viewer, facts_of(later),
                                                                             facts_of(earlier)):
            raise Missing(f"no duplicate flag {flag_id} that you may settle")
        if flag.resolved_at is not None:
            raise Invalid(f"flag {flag_id} is already settled ({flag.resolution})", "id")
        await settle(session, flag, FlagStatus.DISMISSED, by=actor_of(ctx).name, now=ctx.now)
        return FlagRow(flag, later, earlier)
