"""The Subscription type (graphql-transport-ws): complaint changes in scope, finished sync runs."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from hub.resolvers import subscriptions as s
from hub.schema.types.complaint import Complaint
from hub.schema.types.enums import ComplaintStatus
from hub.schema.types.sync import SyncRun


@strawberry.input(description="Which changed complaints to hear of; all given conditions must hold")
class ComplaintChangeFilter:
    region_codes: list[str] | None = strawberry.field(
        default=None, description="Kemendagri codes; a province code covers its regencies and cities")
    statuses: list[ComplaintStatus] | None = strawberry.field(
        default=None, description="Only complaints now in one of these statuses")
    tracking_ids: list[str] | None = strawberry.field(
        default=None, description="Only these complaints, by national tracking id")


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Complaints you may see, each time one changes (in any hub process)")
    async def complaint_changed(
        self, info: strawberry.Info, filter: ComplaintChangeFilter | None = None
    ) -> AsyncGenerator[Complaint, None]:
        where = s.ChangeFilter(
            region_codes=tuple(filter.region_codes or ()) if filter else (),
            statuses=tuple(filter.statuses or ()) if filter else (),
            tracking_ids=tuple(filter.tracking_ids or ()) if filter else (),
        )
        async for row in s.complaint_changes(info.context, where):
            yield Complaint.of(row)

    @strawberry.subscription(description="Each sync run as it finishes (admins)")
    async def sync_run_finished(
        self, info: strawberry.Info, region_code: str | None = None
    ) -> AsyncGenerator[SyncRun, None]:
        async for run in s.sync_runs_finished(info.context, region_code):
            yield SyncRun.of(run)
