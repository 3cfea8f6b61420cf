"""Duplicate flags in the schema: ``duplicateFlags`` (scoped, paged) and ``dismissDuplicateFlag``.

``mergeComplaints`` settles a flag too (as ``MERGED``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from hub.domain.duplicates import WINDOW
from hub.resolvers import duplicates
from hub.resolvers.failures import MutationFailure
from hub.resolvers.paging import page_request
from hub.schema.types.complaint import Complaint
from hub.schema.types.connection import page_info_of
from hub.schema.types.pages import AFTER, BEFORE, FIRST, LAST
from hub.schema.types.results import NotAllowedError, NotFoundError, ValidationError, error_outside_lifecycle
from hub.store.duplicate_flags import FlagPage, FlagRow, FlagStatus

DuplicateFlagStatus = FlagStatus
strawberry.enum(DuplicateFlagStatus, name="DuplicateFlagStatus",
                description="OPEN until merged (MERGED) or dismissed (DISMISSED)")


@strawberry.type(description="Two complaints that look like one filed twice (same reporter contact, same region, "
                             f"within {WINDOW.days} days, similar text); an admin merges or dismisses")
class DuplicateFlag(relay.Node):
    id: relay.NodeID[int]
    complaint: Complaint = strawberry.field(description="The later complaint")
    duplicate_of: Complaint = strawberry.field(description="The earlier complaint it looks like")
    similarity: float = strawberry.field(description="Text similarity, 0 to 1")
    reason: str = strawberry.field(description="Why the two look alike, in words")
    flagged_at: datetime = strawberry.field(description="When the hub flagged them (UTC)")
    status: DuplicateFlagStatus = strawberry.field(description="Open, merged or dismissed")
    resolved_at: datetime | None = strawberry.field(
        description="When it was merged or dismissed (UTC); null while open")
    resolved_by: str | None = strawberry.field(description="The admin who merged or dismissed it; null while open")

    @classmethod
    def of(cls, row: FlagRow) -> DuplicateFlag:
        flag = row.flag
        return cls(id=flag.id, complaint=Complaint.of(row.complaint), duplicate_of=Complaint.of(row.duplicate_of),
                   similarity=flag.similarity, reason=flag.reason, flagged_at=flag.flagged_at,
                   status=FlagStatus(flag.resolution) if flag.resolution else FlagStatus.OPEN,
                   resolved_at=flag.resolved_at, resolved_by=flag.resolved_by)


@strawberry.type(description="A duplicate flag in a page, with its cursor")
class DuplicateFlagEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this flag")
    node: DuplicateFlag = strawberry.field(description="The flag")


@strawberry.type(description="A page of duplicate flags (Relay connection)")
class DuplicateFlagConnection:
    edges: list[DuplicateFlagEdge] = strawberry.field(description="The flags of this page, newest first")
    page_info: relay.PageInfo = strawberry.field(description="Cursors of the page's ends and whether more follow")
    total_count: int = strawberry.field(description="Flags matching, that you may settle, across all pages")

    @classmethod
    def of(cls, page: FlagPage) -> DuplicateFlagConnection:
        edges = [DuplicateFlagEdge(cursor=row.cursor, node=DuplicateFlag.of(row)) for row in page.rows]
        return cls(edges=edges, total_count=page.total,
                   page_info=page_info_of([edge.cursor for edge in edges], has_next_page=page.has_next_page,
                                          has_previous_page=page.has_previous_page))


@strawberry.type(description="A duplicate flag a mutation settled")
class DuplicateFlagPayload:
    flag: DuplicateFlag = strawberry.field(description="The flag as it now stands")


DuplicateFlagResult = Annotated[
    DuplicateFlagPayload | NotAllowedError | NotFoundError | ValidationError, strawberry.union("DuplicateFlagResult")
]


@strawberry.type
class DuplicateQuery:
    @strawberry.field(description="Likely duplicates you may settle (both complaints in your scope), newest first")
    async def duplicate_flags(self, info: strawberry.Info, status: DuplicateFlagStatus | None = FlagStatus.OPEN,
                              first: Annotated[int | None, FIRST] = None, after: Annotated[str | None, AFTER] = None,
                              last: Annotated[int | None, LAST] = None,
                              before: Annotated[str | None, BEFORE] = None) -> DuplicateFlagConnection:
        window = page_request(first=first, after=after, last=last, before=before, default=20,
                              cap=duplicates.MAX_FIRST)
        page = await duplicates.flags_page(info.context, status=FlagStatus(status) if status else None, page=window)
        return DuplicateFlagConnection.of(page)


@strawberry.type
class DuplicateMutation:
    @strawberry.mutation(description="Settle a duplicate flag as not a duplicate (who may merge the two)")
    async def dismiss_duplicate_flag(self, info: strawberry.Info, id: strawberry.ID) -> DuplicateFlagResult:
        try:
            return DuplicateFlagPayload(flag=DuplicateFlag.of(await duplicates.dismiss(info.context, id)))
        except MutationFailure as failure:
            return error_outside_lifecycle(failure)
