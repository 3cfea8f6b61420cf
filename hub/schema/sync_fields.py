"""Sync fields of the Query and Mutation types (merged in hub.schema.build)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from hub.resolvers import sync as sync_resolvers
from hub.resolvers.failures import MutationFailure
from hub.resolvers.paging import page_request
from hub.schema.types.pages import AFTER, BEFORE, DEFAULT_PAGE, FIRST, LAST, MAX_PAGE, PAGE_SIZES, Connection
from hub.schema.types.results import error_of
from hub.schema.types.sync import Connector, RejectedRecord, SyncRun, TriggerSyncPayload, TriggerSyncResult


@strawberry.type
class SyncQuery:
    @strawberry.field(description="Connected regional apps with health, lag, cursor and rejected count (admins)")
    async def connectors(self, info: strawberry.Info) -> list[Connector]:
        return [Connector.of(view) for view in await sync_resolvers.connectors(info.context)]

    @strawberry.field(description=f"Sync runs, newest first, {PAGE_SIZES} (admins)")
    async def sync_runs(self, info: strawberry.Info, region_code: str | None = None,
                        first: Annotated[int | None, FIRST] = None, after: Annotated[str | None, AFTER] = None,
                        last: Annotated[int | None, LAST] = None,
                        before: Annotated[str | None, BEFORE] = None) -> Connection[SyncRun]:
        page = page_request(first=first, after=after, last=last, before=before, default=DEFAULT_PAGE, cap=MAX_PAGE)
        found = await sync_resolvers.runs(info.context, region_code=region_code, page=page)
        return Connection.of(found, SyncRun.of)

    @strawberry.field(description=f"Regional records that could not be mapped, with the reason, the last rejected "
                                  f"first, {PAGE_SIZES} (admins)")
    async def rejected_records(
        self, info: strawberry.Info, region_code: str | None = None, include_resolved: bool = False,
        first: Annotated[int | None, FIRST] = None, after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None, before: Annotated[str | None, BEFORE] = None,
    ) -> Connection[RejectedRecord]:
        page = page_request(first=first, after=after, last=last, before=before, default=DEFAULT_PAGE, cap=MAX_PAGE)
        found = await sync_resolvers.rejections(info.context, region_code=region_code,
                                                include_resolved=include_resolved, page=page)
        return Connection.of(found, RejectedRecord.of)


@strawberry.type
class SyncMutation:
    @strawberry.mutation(description="Pull a region now (national admin, or that region's admin); "
                                     "full: re-read every record, not only those changed since the last run")
    async def trigger_sync(self, info: strawberry.Info, region_code: str, full: bool = False) -> TriggerSyncResult:
        try:
            report, run = await sync_resolvers.trigger(info.context, region_code, full=full)
        except MutationFailure as failure:
            return error_of(failure)
        return TriggerSyncPayload.of(report, run)
