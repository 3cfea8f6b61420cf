"""Relay connection of complaints, with ``totalCount``."""

from __future__ import annotations

import strawberry
from strawberry import relay

from hub.resolvers import complaints as complaint_resolvers
from hub.schema.types.complaint import Complaint
from hub.store.complaint_queries import ComplaintFilter
from hub.store.read_rows import PageOfRows


def page_info_of(cursors: list[str], *, has_next_page: bool, has_previous_page: bool) -> relay.PageInfo:
    """The Relay page info of a page whose edges carry ``cursors``."""
    return relay.PageInfo(has_next_page=has_next_page, has_previous_page=has_previous_page,
                          start_cursor=cursors[0] if cursors else None, end_cursor=cursors[-1] if cursors else None)


@strawberry.type(description="A complaint in a page, with its cursor")
class ComplaintEdge:
    cursor: str = strawberry.field(description="Pass as `after` to continue after this complaint")
    node: Complaint = strawberry.field(description="The complaint")


@strawberry.type(description="A page of complaints (Relay connection)")
class ComplaintConnection:
    edges: list[ComplaintEdge] = strawberry.field(description="The complaints of this page, in the order asked for")
    page_info: relay.PageInfo = strawberry.field(description="Cursors of the page's ends and whether more follow")
    page: strawberry.Private[PageOfRows]
    where: strawberry.Private[ComplaintFilter]

    @classmethod
    def of(cls, page: PageOfRows, where: ComplaintFilter) -> ComplaintConnection:
        edges = [ComplaintEdge(cursor=page.cursor_of(row), node=Complaint.of(row)) for row in page.complaints]
        return cls(
            edges=edges,
            page_info=page_info_of([edge.cursor for edge in edges], has_next_page=page.has_next_page,
                                   has_previous_page=page.has_previous_page),
            page=page,
            where=where,
        )

    @strawberry.field(description="Complaints matching the filter that you may see, across all pages")
    async def total_count(self, info: strawberry.Info) -> int:
        return await complaint_resolvers.count(info.context, self.where)
