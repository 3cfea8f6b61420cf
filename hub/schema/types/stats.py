"""Statistics, ranking and connectors-overview types (see docs/stats.md)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.resolvers.stats import ConnectorsOverview as OverviewView
from hub.schema.types.sync import Connector
from hub.store import stats_queries
from hub.store.stats_queries import GroupStats
from hub.store.stats_ranking import RankedRegion
from hub.store.sync_models import ConnectorHealth

StatsGroupBy = strawberry.enum(stats_queries.GroupBy, name="StatsGroupBy",
                               description="region, province, category, status, channel or month (WIB)")


@strawberry.type(description="SLA breaches per deadline kind")
class SlaBreaches:
    verify: int = strawberry.field(description="Not verified within the service level's working days")
    follow_up: int = strawberry.field(
        description="No first follow-up (tindak lanjut) within the service level's working days of disposition")
    resolve: int = strawberry.field(
        description="Not resolved within the category's working days, else the service level's")
    total: int = strawberry.field(description="Sum of the three (a complaint may breach more than one)")


@strawberry.type(description="Figures of one group of complaints")
class StatsGroup:
    key: str = strawberry.field(description="Region or province code, category code, status, channel or YYYY-MM")
    label: str
    total: int
    completed: int = strawberry.field(description="RESOLVED or CLOSED (selesai)")
    completion_rate: float | None = strawberry.field(description="completed / total; null without complaints")
    median_hours_to_resolve: float | None
    p90_hours_to_resolve: float | None
    follow_ups_due: int = strawberry.field(description="Dispositioned complaints whose follow-up is settled")
    follow_ups_on_time: int
    follow_up_on_time_rate: float | None
    sla_breaches: SlaBreaches
    rated: int
    average_rating: float | None

    @classmethod
    def of(cls, g: GroupStats) -> StatsGroup:
        return cls(
            key=g.key, label=g.label, total=g.total, completed=g.completed, completion_rate=g.completion_rate,
            median_hours_to_resolve=g.median_hours, p90_hours_to_resolve=g.p90_hours,
            follow_ups_due=g.follow_up_decided, follow_ups_on_time=g.follow_up_on_time,
            follow_up_on_time_rate=g.follow_up_on_time_rate,
            sla_breaches=SlaBreaches(verify=g.verify_breaches, follow_up=g.follow_up_breaches,
                                     resolve=g.resolve_breaches, total=g.breaches),
            rated=g.rated, average_rating=g.average_rating,
        )


@strawberry.type(description="Statistics grouped one way, and the figures of all groups together")
class Stats:
    group_by: StatsGroupBy
    groups: list[StatsGroup]
    overall: StatsGroup
    computed_at: datetime = strawberry.field(
        description="When these figures were computed; national answers may be up to 5 minutes old")


@strawberry.type(description="A region's place in a ranking, with every component of its index")
class RankingEntry:
    rank: int | None = strawberry.field(description="1 is best; null for regions without complaints")
    code: str
    name: str
    index: float | None = strawberry.field(
        description="0.5*completionRate + 0.3*followUpOnTimeRate + 0.2*ratingScore, renormalised over known parts")
    completion_rate: float | None
    follow_up_on_time_rate: float | None
    average_rating: float | None
    rating_score: float | None = strawberry.field(description="averageRating / 5")
    total: int
    completed: int
    sla_breaches: int

    @classmethod
    def of(cls, r: RankedRegion) -> RankingEntry:
        g = r.stats
        return cls(rank=r.rank, code=g.key, name=g.label, index=r.index, completion_rate=g.completion_rate,
                   follow_up_on_time_rate=g.follow_up_on_time_rate, average_rating=g.average_rating,
                   rating_score=r.rating_score, total=g.total, completed=g.completed, sla_breaches=g.breaches)


@strawberry.type(description="Health and lag of every connected region you may see")
class ConnectorsOverview:
    healthy: int
    degraded: int
    down: int
    unknown: int
    max_lag_seconds: float | None
    connectors: list[Connector]

    @classmethod
    def of(cls, view: OverviewView) -> ConnectorsOverview:
        return cls(healthy=view.count(ConnectorHealth.HEALTHY), degraded=view.count(ConnectorHealth.DEGRADED),
                   down=view.count(ConnectorHealth.DOWN), unknown=view.count(ConnectorHealth.UNKNOWN),
                   max_lag_seconds=view.max_lag_seconds, connectors=[Connector.of(c) for c in view.connectors])
