"""Keeping slow percentiles for a few minutes, shared by every hub process.

Every count of the statistics is exact and fresh (:mod:`hub.store.stats_tally`),
but a median or 90th percentile cannot be summed from tallies: it needs every
duration of the group, sorted. At national scale that is a scan and sort of
the whole record (about 1.5 s for a million complaints on PostgreSQL; see
docs/stats.md). Such percentiles are stored in ``stats_cache`` keyed by the
question (the viewer's scope, the filter, the grouping) and reused while
younger than :data:`MAX_AGE`; the answer says so in ``percentilesComputedAt``.
Percentiles that came back quickly, or over fewer than
:data:`MIN_KEPT_COMPLAINTS` resolved complaints, are never stored, so small
stores, regional scopes and the tests always see live figures, however busy
the machine. The scheduler recomputes the national dashboard's percentiles
every few minutes (:func:`warm`), so staff opening the dashboard get them at
most :data:`MAX_AGE` old.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Float, String, delete
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from hub.domain.access import NATIONAL, PUBLIC, Viewer
from hub.store.database import session_factory
from hub.store.models import Base

log = logging.getLogger("hub.store.stats_cache")

MAX_AGE = timedelta(minutes=5)
SLOW = 0.25  # seconds: answers that took longer are kept ...
MIN_KEPT_COMPLAINTS = 20_000  # ... when they count at least this many complaints (smaller ones are cheap anyway)
WARM_EVERY_SECONDS = 240


class StatsCacheRow(Base):
    __tablename__ = "stats_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    computed_at: Mapped[datetime]
    seconds: Mapped[float] = mapped_column(Float)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


def cache_key(viewer: Viewer, question: dict[str, Any]) -> str:
    scope = {"role": viewer.role.value, "regions": sorted(viewer.region_codes), "agency": viewer.agency_id,
             "reporter": viewer.reporter_id}
    text = json.dumps({"scope": scope, **question}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


async def cached(
    session: AsyncSession, key: str, compute: Callable[[], Awaitable[Any]], *, now: datetime,
    dump: Callable[[Any], dict[str, Any]], load: Callable[[dict[str, Any], datetime], Any], force: bool = False,
    worth_keeping: Callable[[Any], bool] = lambda result: True,
) -> Any:
    """A stored answer younger than :data:`MAX_AGE`, or a fresh one (kept if it was slow and ``worth_keeping``).

    ``force`` recomputes whatever is stored (the scheduler's refresh).
    ``worth_keeping`` tells a national-scale answer from one that was slow only
    because the machine was busy: the latter is never kept, so it is never stale.
    """
    if not force:
        row = await session.get(StatsCacheRow, key)
        if row is not None and now - row.computed_at <= MAX_AGE:
            return load(row.payload, row.computed_at)
    started = time.perf_counter()
    result = await compute()
    seconds = time.perf_counter() - started
    if seconds >= SLOW and worth_keeping(result):
        await _store(session, key, dump(result), now=now, seconds=seconds)
    elif force:
        await _store(session, key, None, now=now, seconds=seconds)  # fast now: answer live from here on
    return result


async def _store(
    session: AsyncSession, key: str, payload: dict[str, Any] | None, *, now: datetime, seconds: float
) -> None:
    try:
        await session.execute(delete(StatsCacheRow).where(StatsCacheRow.key == key))
        if payload is not None:
            session.add(StatsCacheRow(key=key, computed_at=now, seconds=seconds, payload=payload))
        await session.commit()
    except SQLAlchemyError as exc:  # another process stored it first, or the table is missing: fine
        await session.rollback()
        log.info("statistics not cached: %s", exc)


def dump_dataclass(value: Any) -> dict[str, Any]:
    return json.loads(json.dumps(asdict(value), default=str))


@dataclass(frozen=True)
class KeptPercentiles:
    """Median and 90th percentile of hours to resolve per group (and overall), computed at ``computed_at``."""

    groups: dict[str, tuple[float | None, float | None]]
    overall: tuple[float | None, float | None] | None
    computed_at: datetime
    resolved: int = 0  # resolved complaints they were computed over

    @property
    def worth_keeping(self) -> bool:
        return self.resolved >= MIN_KEPT_COMPLAINTS

    @classmethod
    def load(cls, payload: dict[str, Any], computed_at: datetime) -> KeptPercentiles:
        overall = payload["overall"]
        return cls(groups={k: (v[0], v[1]) for k, v in payload["groups"].items()},
                   overall=(overall[0], overall[1]) if overall is not None else None, computed_at=computed_at,
                   resolved=payload["resolved"])


async def warm(engine: AsyncEngine, *, now: datetime | None = None) -> int:
    """Recompute the national dashboard's percentiles for staff and the public; return how many questions."""
    from hub.store.complaint_queries import ComplaintFilter
    from hub.store.stats_queries import GroupBy, group_stats

    now = now or datetime.now(UTC)
    done = 0
    async with session_factory(engine)() as session:
        for viewer in (NATIONAL, PUBLIC):  # national figures by province, as the dashboard asks them
            await group_stats(session, viewer, where=ComplaintFilter(), group_by=GroupBy.PROVINCE, now=now,
                              overall_percentiles=True, refresh=True)
            done += 1
        await session.execute(delete(StatsCacheRow).where(StatsCacheRow.computed_at < now - 2 * MAX_AGE))
        await session.commit()
    return done
