"""Statistics, rankings and the connectors overview for the API.

Anyone may ask for statistics: they are computed over what the caller may see
(``visible_clause``), so the public gets aggregates of non-confidential
complaints, a region admin those of their regions, a national admin all. Only
counts and rates leave the hub, never a complaint. The connectors overview is
sync internals and follows the sync rules (admins only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.resolvers import sync as sync_resolvers
from hub.resolvers.complaints import build_filter, check_region_codes
from hub.resolvers.context import Context
from hub.resolvers.errors import BadInput
from hub.store import stats_queries, stats_ranking
from hub.store.complaint_queries import ComplaintFilter
from hub.store.stats_queries import GroupBy, StatsResult
from hub.store.stats_ranking import InvalidPeriod, RankedRegion
from hub.store.stats_sql import wib_month
from hub.store.sync_models import ConnectorHealth


async def stats(
    ctx: Context, *, filter: dict, group_by: GroupBy, percentiles: bool, overall_percentiles: bool
) -> StatsResult:
    where = await build_filter(ctx, **filter)
    if group_by is GroupBy.MONTH:
        _check_months(where, now=ctx.now, most=ctx.settings.stats_max_months)
    return await ctx.read(stats_queries.group_stats, ctx.viewer, where=where, group_by=group_by, now=ctx.now,
                          percentiles=percentiles, overall_percentiles=overall_percentiles)


def _check_months(where: ComplaintFilter, *, now: datetime, most: int) -> None:
    """Monthly statistics list every month of the range: refuse a range longer than ``most`` months.

    The range runs from ``createdFrom`` (else now, or the first complaint, which the data bounds) to
    ``createdTo`` (else now).
    """
    last = wib_month(where.created_to - timedelta(microseconds=1)) if where.created_to else wib_month(now)
    first = wib_month(where.created_from) if where.created_from else min(last, wib_month(now))
    months = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
    if months > most:
        raise BadInput(f"`stats(groupBy: MONTH)` lists at most {most} months (HUB_STATS_MAX_MONTHS); "
                       f"{first} to {last} is {months:,} months: narrow `createdFrom` and `createdTo`",
                       field="filter.createdFrom")


async def ranking(ctx: Context, *, province_code: str | None, period: str | None) -> list[RankedRegion]:
    if province_code is not None:
        await check_region_codes(ctx, [province_code], field="provinceCode")
        if "." in province_code:
            raise BadInput(f"`provinceCode` {province_code} is a regency or city; give a province code such as 35",
                           field="provinceCode")
    try:
        stats_ranking.period_bounds(period)
    except InvalidPeriod as exc:
        raise BadInput(str(exc), field="period") from None
    return await ctx.read(stats_ranking.ranking, ctx.viewer, province_code=province_code, period=period, now=ctx.now)


@dataclass
class ConnectorsOverview:
    connectors: list[sync_resolvers.ConnectorView]

    def count(self, health: ConnectorHealth) -> int:
        return sum(1 for view in self.connectors if view.health is health)

    @property
    def max_lag_seconds(self) -> float | None:
        lags = [view.lag_seconds for view in self.connectors if view.lag_seconds is not None]
        return max(lags) if lags else None


async def connectors_overview(ctx: Context) -> ConnectorsOverview:
    views = await sync_resolvers.connectors(ctx)
    return ConnectorsOverview(connectors=sorted(views, key=lambda v: v.region.code))
