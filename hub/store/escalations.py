"""Reading escalations: how many complaints of each region stand at each level of the ladder.

The counts go through the one scope rule (:func:`hub.store.scope.visible_clause`),
so an admin counts only the complaints they may see. Merged copies are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.access import Viewer
from hub.domain.escalation import EscalationLevel
from hub.store.models import Complaint, Region
from hub.store.scope import region_clause, visible_clause


@dataclass(frozen=True, slots=True)
class RegionEscalations:
    region_code: str
    region_name: str
    counts: dict[EscalationLevel, int] = field(default_factory=dict)  # escalated levels only

    @property
    def total(self) -> int:
        return sum(self.counts.values())


async def escalations_by_region(session: AsyncSession, viewer: Viewer, *,
                                province_code: str | None = None) -> list[RegionEscalations]:
    """Regions with escalated complaints ``viewer`` may see (of one province if given), by region code."""
    query = (
        select(Complaint.region_code, Region.name, Complaint.escalation_level, func.count())
        .join(Region, Region.code == Complaint.region_code)
        .where(Complaint.escalation_level != EscalationLevel.NONE, Complaint.merged_into_id.is_(None),
               visible_clause(viewer))
        .group_by(Complaint.region_code, Region.name, Complaint.escalation_level)
        .order_by(Complaint.region_code)
    )
    if province_code is not None:
        query = query.where(region_clause({province_code}))
    found: dict[str, RegionEscalations] = {}
    for region_code, name, level, count in await session.execute(query):
        entry = found.setdefault(region_code, RegionEscalations(region_code=region_code, region_name=name))
        entry.counts[EscalationLevel(level)] = count
    return list(found.values())
