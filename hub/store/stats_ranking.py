"""Ranking regions by a composite performance index.

    index = 0.5 * completion rate + 0.3 * follow-up on-time rate + 0.2 * (average rating / 5)

Each component lies in [0, 1], so the index does too. A component a region has
no data for (no dispositioned complaint settled yet, no rating yet) is left
out and the remaining weights are scaled up to sum to 1, so a young region is
neither punished nor favoured by a figure it cannot have. Regions without
complaints in the period get a null index and are listed last, by code.
Ties keep code order and share the better rank.

With a province code the regencies and cities of that province are ranked;
without one, the provinces. The period is a WIB calendar month (``2025-06``)
or year (``2025``); none means all time. Scope is that of the statistics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.access import Viewer
from hub.store.complaint_queries import ComplaintFilter
from hub.store.stats_queries import GroupBy, GroupStats, group_stats

WEIGHTS = {"completion": 0.5, "follow_up": 0.3, "rating": 0.2}
WIB = timezone(timedelta(hours=7))
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


class InvalidPeriod(ValueError):
    pass


def period_bounds(period: str | None) -> tuple[datetime | None, datetime | None]:
    """``[from, to)`` of a ``YYYY`` or ``YYYY-MM`` period in WIB; ``(None, None)`` for all time."""
    if period is None or not period.strip():
        return None, None
    match = _PERIOD.match(period.strip())
    if not match or (match.group(2) and not 1 <= int(match.group(2)) <= 12):
        raise InvalidPeriod(f"period {period!r} is not a month like 2025-06 or a year like 2025")
    year = int(match.group(1))
    if match.group(2):
        month = int(match.group(2))
        start = datetime(year, month, 1, tzinfo=WIB)
        end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=WIB)
    else:
        start, end = datetime(year, 1, 1, tzinfo=WIB), datetime(year + 1, 1, 1, tzinfo=WIB)
    return start, end


@dataclass(frozen=True, slots=True)
class RankedRegion:
    rank: int | None
    stats: GroupStats
    index: float | None

    @property
    def rating_score(self) -> float | None:
        return self.stats.average_rating / 5 if self.stats.average_rating is not None else None


def composite_index(stats: GroupStats) -> float | None:
    if not stats.total:
        return None
    parts = {
        "completion": stats.completion_rate,
        "follow_up": stats.follow_up_on_time_rate,
        "rating": stats.average_rating / 5 if stats.average_rating is not None else None,
    }
    present = {name: value for name, value in parts.items() if value is not None}
    weight = sum(WEIGHTS[name] for name in present)
    return sum(WEIGHTS[name] * value for name, value in present.items()) / weight if weight else None


def rank(groups: list[GroupStats]) -> list[RankedRegion]:
    scored = [(composite_index(g), g) for g in groups]
    with_index = sorted(((i, g) for i, g in scored if i is not None), key=lambda pair: (-pair[0], pair[1].key))
    ranked: list[RankedRegion] = []
    previous: float | None = None
    for position, (index, group) in enumerate(with_index, start=1):
        shown = ranked[-1].rank if previous is not None and abs(index - previous) < 1e-12 else position
        ranked.append(RankedRegion(rank=shown, stats=group, index=index))
        previous = index
    empty = sorted((g for i, g in scored if i is None), key=lambda g: g.key)
    return ranked + [RankedRegion(rank=None, stats=g, index=None) for g in empty]


async def ranking(
    session: AsyncSession, viewer: Viewer, *, province_code: str | None, period: str | None, now: datetime
) -> list[RankedRegion]:
    start, end = period_bounds(period)
    where = ComplaintFilter(province_code=province_code, created_from=start, created_to=end)
    group_by = GroupBy.REGION if province_code else GroupBy.PROVINCE
    result = await group_stats(session, viewer, where=where, group_by=group_by, now=now, percentiles=False)
    return rank(result.groups)
