"""Statistics fields of the Query type (merged in hub.schema.build)."""

from __future__ import annotations

import strawberry

from hub.resolvers import selection
from hub.resolvers import stats as stats_resolvers
from hub.schema.types.inputs import ComplaintFilterInput
from hub.schema.types.stats import ConnectorsOverview, RankingEntry, Stats, StatsGroup, StatsGroupBy

PERCENTILE_FIELDS = frozenset({"medianHoursToResolve", "p90HoursToResolve"})


def _asks_percentiles(info: strawberry.Info, of: str) -> bool:
    """Whether percentiles of ``of`` (``groups`` or ``overall``) are selected, through fragments too
    (as Relay clients write them)."""
    nodes, fragments, _ = selection.of_info(info)
    for node in nodes:
        for child in selection.fields(node.selection_set, fragments, frozenset({"Stats"})):
            if child.name.value == of:
                names = {f.name.value for f in selection.fields(child.selection_set, fragments, frozenset({"StatsGroup"}))}
                if names & PERCENTILE_FIELDS:
                    return True
    return False


@strawberry.type
class StatsQuery:
    @strawberry.field(description="Complaint statistics within your scope, grouped by region, province, category, "
                                  "status, channel or month; groups without complaints are listed with zeros")
    async def stats(self, info: strawberry.Info, group_by: StatsGroupBy,
                    filter: ComplaintFilterInput | None = None) -> Stats:
        given = dict(vars(filter)) if filter else {}
        result = await stats_resolvers.stats(info.context, filter=given, group_by=group_by,
                                             percentiles=_asks_percentiles(info, "groups"),
                                             overall_percentiles=_asks_percentiles(info, "overall"))
        return Stats(group_by=result.group_by, groups=[StatsGroup.of(g, result.group_by) for g in result.groups],
                     overall=StatsGroup.of(result.overall), computed_at=result.computed_at,
                     percentiles_computed_at=result.percentiles_computed_at)

    @strawberry.field(description="Regions of a province (or all provinces) ranked by the composite index; "
                                  "period is a WIB month (2025-06) or year (2025), all time if omitted")
    async def ranking(self, info: strawberry.Info, province_code: str | None = None,
                      period: str | None = None) -> list[RankingEntry]:
        rows = await stats_resolvers.ranking(info.context, province_code=province_code, period=period)
        return [RankingEntry.of(row) for row in rows]

    @strawberry.field(description="Health and lag of each connected region (admins)")
    async def connectors_overview(self, info: strawberry.Info) -> ConnectorsOverview:
        return ConnectorsOverview.of(await stats_resolvers.connectors_overview(info.context))
