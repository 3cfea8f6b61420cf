"""Sync fields of the Query and Mutation types (merged in hub.schema.build)."""

from __future__ import annotations

import strawberry

from hub.resolvers import sync as sync_resolvers
from hub.resolvers.failures import MutationFailure
from hub.schema.types.results import error_of
from hub.schema.types.sync import Connector, RejectedRecord, SyncRun, TriggerSyncPayload, TriggerSyncResult


@strawberry.type
class SyncQuery:
    @strawberry.field(description="Connected regional apps with health, lag, cursor and rejected count (admins)")
    async def connectors(self, info: strawberry.Info) -> list[Connector]:
        return [Connector.of(view) for view in await sync_resolvers.connectors(info.context)]

    @strawberry.field(description="Recent sync runs, newest first (admins)")
    async def sync_runs(self, info: strawberry.Info, region_code: str | None = None, limit: int = 50) -> list[SyncRun]:
        rows = await sync_resolvers.runs(info.context, region_code=region_code, limit=limit)
        return [SyncRun.of(row) for row in rows]

    @strawberry.field(description="Regional records that could not be mapped, with the reason (admins)")
    async def rejected_records(
        self, info: strawberry.Info, region_code: str | None = None, include_resolved: bool = False, limit: int = 100
    ) -> list[RejectedRecord]:
        rows = await sync_resolvers.rejections(
            info.context, region_code=region_code, include_resolved=include_resolved, limit=limit
        )
        return [RejectedRecord.of(row) for row in rows]


@strawberry.type
class SyncMutation:
    @strawberry.mutation(description="Pull a region now (national admin, or that region's admin); "
                                     "full: re-read every record, not only those changed since the last run")
    async def trigger_sync(self, info: strawberry.Info, region_code: str, full: bool = False) -> TriggerSyncResult:
        try:
            report, run = await sync_resolvers.trigger(info.context, region_code, full=full)
        except MutationFailure as failure:
            return error_of(failure)  # type: ignore[no-any-return]
        return TriggerSyncPayload.of(report, run)
