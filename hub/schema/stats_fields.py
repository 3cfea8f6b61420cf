"""Statistics fields of the Query type (merged in hub.schema.build)."""

from __future__ import annotations

import strawberry

from hub.resolvers import stats as stats_resolvers
from hub.schema.types.inputs import ComplaintFilterInput
from hub.schema.types.stats import ConnectorsOverview, RankingEntry, Stats, StatsGroup, StatsGroupBy


def _asks_overall_percentiles(info: strawberry.Info) -> bool:
    for field in info.selected_fields:
        for child in field.selections:
            if getattr(child, "name", None) == "overall":
                names = {getattr(s, "name", None) for s in getattr(child, "selections", [])}
                return bool(names & {"medianHoursToResolve", "p90HoursToResolve"})
    return False


@strawberry.type
class StatsQuery:
    @strawberry.field(description="Complaint statistics within your scope, grouped by region, province, category, "
                                  "status, channel or month; groups without complaints are listed with zeros")
    async def stats(self, info: strawberry.Info, group_by: StatsGroupBy,
                    filter: ComplaintFilterInput | None = None) -> Stats:
        given = dict(vars(filter)) if filter else {}
        result = await stats_resolvers.stats(info.context, filter=given, group_by=group_by,
                                             overall_percentiles=_asks_overall_percentiles(info))
        return Stats(group_by=result.group_by, groups=[StatsGroup.of(g) for g in result.groups],
                     overall=StatsGroup.of(result.overall), computed_at=result.computed_at)

    @strawberry.field(description="Regions of a province (or all provinces) ranked by the composite index; "
                                  "period is a WIB month (2025-06) or year (2025), all time if omitted")
    async def ranking(self, info: strawberry.Info, province_code: str | None = None,
                      period: str | None = None) -> list[RankingEntry]:
        rows = await stats_resolvers.ranking(info.context, province_code=province_code, period=period)
        return [RankingEntry.of(row) for row in rows]

    @strawberry.field(description="Health and lag of each connected region (admins)")
    async def connectors_overview(self, info: strawberry.Info) -> ConnectorsOverview:
        return ConnectorsOverview.of(await stats_resolvers.connectors_overview(info.context))
