"""The read side of the API: the Query type."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from hub.resolvers import complaints as complaint_resolvers
from hub.resolvers import json_plan, reference
from hub.resolvers.complaint_plan import plan_complaint, plan_connection
from hub.resolvers.read_plan import PLANS, Completed, Env, Refused
from hub.resolvers.selection import complaint_selection, connection_nodes, of_info
from hub.schema.nodes import NODE_TYPES, node_of
from hub.schema.types.complaint import Complaint
from hub.schema.types.connection import ComplaintConnection
from hub.schema.types.enums import ComplaintOrder, RegionLevel
from hub.schema.types.inputs import ComplaintFilterInput
from hub.schema.types.pages import AFTER, BEFORE
from hub.schema.types.region import Agency, Category, Region
from hub.store.read_rows import ComplaintRow

ORDER_BY = ("How to sort; by default RELEVANCE (best match first, then newest) when `filter.text` is given, "
            "else CREATED_AT_DESC (newest first)")


@strawberry.type
class Query:
    @strawberry.field(description=f"Any object by its global id ({', '.join(NODE_TYPES)}); null if you may not "
                                  "see it")
    async def node(self, info: strawberry.Info, id: strawberry.ID) -> relay.Node | None:
        return await node_of(info, id, _complaint_node)

    @strawberry.field(description="A complaint by its national tracking id, e.g. LPR-2025-0000123")
    async def complaint(self, info: strawberry.Info, tracking_id: str) -> Complaint | None:
        nodes, fragments, variables = of_info(info)
        selection = complaint_selection(nodes, fragments, variables)
        row = await complaint_resolvers.complaint_by_tracking_id(info.context, tracking_id, selection=selection)
        return _complaint_value(info, row) if row else None

    @strawberry.field(description="Complaints you may see, filtered and ordered, a page at a time")
    async def complaints(
        self,
        info: strawberry.Info,
        filter: ComplaintFilterInput | None = None,
        order_by: Annotated[ComplaintOrder | None, strawberry.argument(description=ORDER_BY)] = None,
        first: Annotated[int | None, strawberry.argument(
            description="Page forward: this many complaints after `after` (the first in order when it is not "
                        "given); 20 when neither this nor `last` is given")] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, strawberry.argument(
            description="Page backward: this many complaints before `before` (the last in order when it is not "
                        "given)")] = None,
        before: Annotated[str | None, BEFORE] = None,
    ) -> ComplaintConnection:
        ctx = info.context
        given = {k: v for k, v in vars(filter).items()} if filter else {}
        where = await complaint_resolvers.build_filter(ctx, **given)
        nodes, fragments, variables = of_info(info)
        order = complaint_resolvers.order_of(order_by, where)
        if ctx.settings.planned_reads and not order.ranked:  # first choice: PostgreSQL writes the nodes' JSON
            written = json_plan.PLANS.get(nodes[0], lambda: json_plan.plan_page(nodes, fragments))
            if written is not None:
                try:
                    value = await json_plan.written_page(
                        ctx, written, where=where, order=order, variables=variables,
                        window=complaint_resolvers.window_of(ctx, first=first, after=after, last=last, before=before))
                except Refused:
                    value = None
                if value is not None:
                    return Completed(value)  # type: ignore[return-value]
        selection = complaint_selection(connection_nodes(nodes, fragments)[0], fragments, variables)
        page = await complaint_resolvers.complaints_page(
            ctx, where=where, order=order, first=first, after=after, selection=selection, last=last, before=before,
        )
        plan = PLANS.get(nodes[0], lambda: plan_connection(nodes, fragments)) if ctx.settings.planned_reads else None
        if plan is not None:
            try:
                total = await complaint_resolvers.count(ctx, where) if plan.counts else None
                built = plan.build(page, Env(ctx.viewer, ctx.now, variables), after=after, total=total)
                return Completed(built)  # type: ignore[return-value]  # PlannedExecutionContext completes it
            except Refused:
                pass
        return ComplaintConnection.of(page, where)

    @strawberry.field(description="Regions by level and/or parent; all 552 when no argument is given")
    async def regions(
        self, info: strawberry.Info, level: RegionLevel | None = None, parent_code: str | None = None
    ) -> list[Region]:
        rows = await reference.regions(info.context, level=level, parent_code=parent_code)
        return [Region.of(row) for row in rows]

    @strawberry.field(description="A region by its Kemendagri code, e.g. 61.71")
    async def region(self, info: strawberry.Info, code: str) -> Region | None:
        row = await info.context.loaders.region.load(code.strip())
        if row is None:
            await complaint_resolvers.check_region_codes(info.context, [code.strip()], field="code")
        return Region.of(row) if row else None

    @strawberry.field(description="Agencies (instansi / OPD), of one region if given")
    async def agencies(self, info: strawberry.Info, region_code: str | None = None) -> list[Agency]:
        return [Agency.of(row) for row in await reference.agencies(info.context, region_code=region_code)]

    @strawberry.field(description="National complaint categories")
    async def categories(self, info: strawberry.Info) -> list[Category]:
        return [Category.of(row) for row in await reference.categories(info.context)]


async def _complaint_node(info: strawberry.Info, key: int) -> Complaint | None:
    """``node(id)`` of a complaint: read with the relations its selection asks for."""
    nodes, fragments, variables = of_info(info)
    selection = complaint_selection(nodes, fragments, variables)
    found = await complaint_resolvers.complaints_by_ids(info.context, [key], selection=selection)
    return _complaint_value(info, found[key]) if key in found else None


def _complaint_value(info: strawberry.Info, row: ComplaintRow) -> Complaint:
    """The complaint built from its plan where the selection has one, else for field-by-field execution."""
    ctx = info.context
    nodes, fragments, variables = of_info(info)
    plan = PLANS.get(nodes[0], lambda: plan_complaint(nodes, fragments)) if ctx.settings.planned_reads else None
    if plan is not None:
        try:
            return Completed(plan.build(row, Env(ctx.viewer, ctx.now, variables)))  # type: ignore[return-value]  # PlannedExecutionContext completes it
        except Refused:
            pass
    return Complaint.of(row)
