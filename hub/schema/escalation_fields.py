"""Escalation fields of the Query type (merged in hub.schema.build)."""

from __future__ import annotations

import strawberry

from hub.domain.escalation import EscalationLevel
from hub.resolvers import escalations as escalation_resolvers
from hub.store.escalations import RegionEscalations as Row


@strawberry.type(description="Escalated complaints of one region you may see, by the level they reached")
class RegionEscalations:
    region_code: str = strawberry.field(description="Kemendagri code of the region")
    region_name: str = strawberry.field(description="The region's name")
    at_region: int = strawberry.field(description="Escalated to the region's admin")
    at_national: int = strawberry.field(description="Escalated to the national admin (and the Ombudsman)")
    total: int = strawberry.field(description="Escalated complaints at either level")

    @classmethod
    def of(cls, row: Row) -> RegionEscalations:
        return cls(region_code=row.region_code, region_name=row.region_name,
                   at_region=row.counts.get(EscalationLevel.REGION, 0),
                   at_national=row.counts.get(EscalationLevel.NATIONAL, 0), total=row.total)


@strawberry.type
class EscalationQuery:
    @strawberry.field(description="Per region, how many complaints you may see stand escalated at each level "
                                  "(admins; regions without escalations are left out). List them with "
                                  "`complaints(filter: {escalationLevels: [REGION, NATIONAL]})`")
    async def escalations(self, info: strawberry.Info, province_code: str | None = None) -> list[RegionEscalations]:
        rows = await escalation_resolvers.escalations(info.context, province_code=province_code)
        return [RegionEscalations.of(row) for row in rows]
