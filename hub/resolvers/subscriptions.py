"""Subscription logic: turn feed messages into what this subscriber may see.

A message names a complaint by id; the complaint is loaded through a fresh
scoped query for the subscriber's own viewer, so a region admin never
receives another region's complaint and field resolvers hide an anonymous
reporter exactly as they do for queries. Each event starts from a fresh
session and fresh DataLoaders, so nothing stale is served.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

from hub.domain.access import sees_region
from hub.domain.vocabulary import Status
from hub.resolvers.context import Context
from hub.resolvers.errors import NotAllowed
from hub.store import complaint_queries
from hub.store.models import Complaint
from hub.store.sync_models import SyncRun
from hub.sync.events import ChangeFeed


@dataclass(frozen=True, slots=True)
class ChangeFilter:
    region_codes: tuple[str, ...] = ()
    statuses: tuple[Status, ...] = ()
    tracking_ids: tuple[str, ...] = ()

    def matches(self, complaint: Complaint) -> bool:
        if self.region_codes and not any(
            complaint.region_code == code or complaint.region_code.startswith(f"{code}.") for code in self.region_codes
        ):
            return False
        if self.statuses and complaint.status not in self.statuses:
            return False
        return not self.tracking_ids or complaint.tracking_id in self.tracking_ids


def _feed(ctx: Context) -> ChangeFeed:
    if ctx.events is None:
        raise NotAllowed("subscriptions are not available on this hub")
    return ctx.events


async def _fresh(ctx: Context) -> None:
    await ctx.close()
    ctx._loaders = None
    ctx.now = datetime.now(UTC)


async def complaint_changes(ctx: Context, where: ChangeFilter) -> AsyncIterator[Complaint]:
    async for message in _feed(ctx).messages("complaint"):
        ids = [int(i) for i in message["ids"]] if "ids" in message else [int(message["id"])]  # a pulled page names many
        await _fresh(ctx)
        async with ctx.sessions() as session:
            found = await complaint_queries.complaints_by_ids(session, ctx.viewer, ids)
        for complaint_id in ids:
            complaint = found.get(complaint_id)
            if complaint is not None and where.matches(complaint):
                yield complaint


async def sync_runs_finished(ctx: Context, region_code: str | None) -> AsyncIterator[SyncRun]:
    from hub.resolvers.sync import require_admin

    require_admin(ctx)
    async for message in _feed(ctx).messages("sync_run"):
        code = message.get("region")
        if not isinstance(code, str) or (region_code and code != region_code):
            continue
        if not sees_region(ctx.viewer, code):
            continue
        await _fresh(ctx)
        async with ctx.sessions() as session:
            run = await session.get(SyncRun, int(message["run_id"]))
        if run is not None:
            yield run
