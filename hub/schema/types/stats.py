"""Statistics, ranking and connectors-overview types (see docs/stats.md)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.domain import global_ids
from hub.resolvers.stats import ConnectorsOverview as OverviewView
from hub.schema.periods import FOLLOW_UP_DAYS, RESOLVE_DAYS, VERIFY_DAYS
from hub.schema.types.sync import Connector
from hub.store import stats_queries
from hub.store.stats_queries import GroupStats
from hub.store.stats_ranking import RankedRegion
from hub.store.sync_models import ConnectorHealth

StatsGroupBy = stats_queries.GroupBy
strawberry.enum(StatsGroupBy, name="StatsGroupBy",
                               description="region, province, category, status, channel or month (WIB)")


@strawberry.type(description="SLA breaches per deadline kind")
class SlaBreaches:
    verify: int = strawberry.field(description=f"Not verified within {VERIFY_DAYS} working days")
    follow_up: int = strawberry.field(
        description=f"No first follow-up (tindak lanjut) within {FOLLOW_UP_DAYS} working days of disposition")
    resolve: int = strawberry.field(
        description=f"Not resolved within the category's working days, else {RESOLVE_DAYS}")
    total: int = strawberry.field(description="Sum of the three (a complaint may breach more than one)")


@strawberry.type(description="Figures of one group of complaints")
class StatsGroup:
    key: str = strawberry.field(description="Region or province code, category code, status, channel, the "
                                            "agency's global id (empty: no agency yet) or YYYY-MM")
    label: str = strawberry.field(description="The group's name to show, e.g. a region's or category's name")
    total: int = strawberry.field(description="Complaints in the group")
    completed: int = strawberry.field(description="RESOLVED or CLOSED (selesai)")
    completion_rate: float | None = strawberry.field(description="completed / total; null without complaints")
    median_hours_to_resolve: float | None = strawberry.field(
        description="Median hours from submission to resolution, over resolved complaints; null when none is resolved")
    p90_hours_to_resolve: float | None = strawberry.field(
        description="Hours from submission to resolution that 90% of resolved complaints stay within; "
                    "null when none is resolved")
    follow_ups_due: int = strawberry.field(description="Dispositioned complaints whose follow-up is settled")
    follow_ups_on_time: int = strawberry.field(
        description=f"Of `followUpsDue`, those followed up (tindak lanjut) within {FOLLOW_UP_DAYS} working days")
    follow_up_on_time_rate: float | None = strawberry.field(
        description="followUpsOnTime / followUpsDue; null when none is due")
    sla_breaches: SlaBreaches = strawberry.field(description="Service-level breaches, by deadline")
    rated: int = strawberry.field(description="Complaints their reporter rated")
    average_rating: float | None = strawberry.field(description="Mean rating, 1 to 5 stars; null when none is rated")

    @classmethod
    def of(cls, g: GroupStats, group_by: stats_queries.GroupBy | None = None) -> StatsGroup:
        """The figures of ``g``; an agency's group is keyed by the agency's global id, as filters take it."""
        by_agency = group_by is stats_queries.GroupBy.AGENCY and g.key
        return cls(
            key=global_ids.encode("Agency", g.key) if by_agency else g.key, label=g.label, total=g.total, completed=g.completed, completion_rate=g.completion_rate,
            median_hours_to_resolve=g.median_hours, p90_hours_to_resolve=g.p90_hours,
            follow_ups_due=g.follow_up_decided, follow_ups_on_time=g.follow_up_on_time,
            follow_up_on_time_rate=g.follow_up_on_time_rate,
            sla_breaches=SlaBreaches(verify=g.verify_breaches, follow_up=g.follow_up_breaches,
                                     resolve=g.resolve_breaches, total=g.breaches),
            rated=g.rated, average_rating=g.average_rating,
        )


@strawberry.type(description="Statistics grouped one way, and the figures of all groups together")
class Stats:
    group_by: StatsGroupBy = strawberry.field(description="How the complaints were grouped")
    groups: list[StatsGroup] = strawberry.field(
        description="One entry per group; groups without complaints are listed with zeros, agencies excepted")
    overall: StatsGroup = strawberry.field(description="The figures of all groups together")
    computed_at: datetime = strawberry.field(
        description="When these figures were computed: every count, rate, breach and rating is exact at this "
                    "moment (kept with every write)")
    percentiles_computed_at: datetime = strawberry.field(
        description="When medianHoursToResolve and p90HoursToResolve were computed: they cannot be summed from "
                    "running totals, so at national scale they are kept up to 5 minutes and may be older than "
                    "computedAt; equal to computedAt when computed for this answer")


@strawberry.type(description="A region's place in a ranking, with every component of its index")
class RankingEntry:
    rank: int | None = strawberry.field(description="1 is best; null for regions without complaints")
    code: str = strawberry.field(description="Kemendagri code of the region")
    name: str = strawberry.field(description="The region's name")
    index: float | None = strawberry.field(
        description="0.5*completionRate + 0.3*followUpOnTimeRate + 0.2*ratingScore, renormalised over known parts")
    completion_rate: float | None = strawberry.field(description="completed / total; null without complaints")
    follow_up_on_time_rate: float | None = strawberry.field(
        description=f"Share of due follow-ups made within {FOLLOW_UP_DAYS} working days; null when none is due")
    average_rating: float | None = strawberry.field(description="Mean rating, 1 to 5 stars; null when none is rated")
    rating_score: float | None = strawberry.field(description="averageRating / 5")
    total: int = strawberry.field(description="Complaints in the region")
    completed: int = strawberry.field(description="RESOLVED or CLOSED (selesai)")
    sla_breaches: int = strawberry.field(description="Service-level breaches, all deadlines together")

    @classmethod
    def of(cls, r: RankedRegion) -> RankingEntry:
        g = r.stats
        return cls(rank=r.rank, code=g.key, name=g.label, index=r.index, completion_rate=g.completion_rate,
                   follow_up_on_time_rate=g.follow_up_on_time_rate, average_rating=g.average_rating,
                   rating_score=r.rating_score, total=g.total, completed=g.completed, sla_breaches=g.breaches)


@strawberry.type(description="Health and lag of every connected region you may see")
class ConnectorsOverview:
    healthy: int = strawberry.field(description="Connectors that are healthy")
    degraded: int = strawberry.field(description="Connectors with recent failures, still retrying on schedule")
    down: int = strawberry.field(description="Connectors failing repeatedly, backed off")
    unknown: int = strawberry.field(description="Connectors never run")
    max_lag_seconds: float | None = strawberry.field(
        description="The largest lag among the connectors, in seconds; null when none has caught up yet")
    connectors: list[Connector] = strawberry.field(description="Every connector you may see")

    @classmethod
    def of(cls, view: OverviewView) -> ConnectorsOverview:
        return cls(healthy=view.count(ConnectorHealth.HEALTHY), degraded=view.count(ConnectorHealth.DEGRADED),
                   down=view.count(ConnectorHealth.DOWN), unknown=view.count(ConnectorHealth.UNKNOWN),
                   max_lag_seconds=view.max_lag_seconds, connectors=[Connector.of(c) for c in view.connectors])
