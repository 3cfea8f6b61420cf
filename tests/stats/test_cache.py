"""Counts are always fresh; slow national percentiles are kept a few minutes, refreshed by the scheduler's job."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hub.domain.access import NATIONAL
from hub.store import stats_cache
from hub.store.complaint_queries import ComplaintFilter
from hub.store.database import session_factory
from hub.store.stats_queries import GroupBy, StatsResult, group_stats
from tests.stats.dataset import complaints, load


async def _stats(engine, now: datetime) -> StatsResult:
    async with session_factory(engine)() as session:
        return await group_stats(session, NATIONAL, where=ComplaintFilter(), group_by=GroupBy.PROVINCE, now=now,
                                 overall_percentiles=True)


async def _add_a_sixth(engine) -> None:
    """Another complaint like #1 (resolved in 10 hours), so the median moves from 30 to 20 hours."""
    async with session_factory(engine)() as session, session.begin():
        extra = complaints()[0]
        extra.tracking_id = "LPR-2019-0000099"
        session.add(extra)


async def test_fast_answers_are_always_live(engine):
    now = datetime.now(UTC)
    assert (await _stats(engine, now)).overall.total == 0
    await load(engine)
    result = await _stats(engine, now)
    assert (result.overall.total, result.overall.median_hours) == (5, pytest.approx(30.0))
    assert result.percentiles_computed_at == now


async def test_percentiles_slow_only_because_the_machine_is_busy_are_never_kept(engine, monkeypatch):
    monkeypatch.setattr(stats_cache, "SLOW", 0.0)  # every answer counts as slow, but three resolved are few
    now = datetime.now(UTC)
    await load(engine)
    assert (await _stats(engine, now)).overall.median_hours == pytest.approx(30.0)
    await _add_a_sixth(engine)
    later = now + timedelta(seconds=1)
    result = await _stats(engine, later)
    assert (result.overall.total, result.overall.median_hours, result.percentiles_computed_at) == (6, pytest.approx(20.0), later)


async def test_counts_are_fresh_while_slow_percentiles_are_reused_until_they_age_or_the_job_refreshes_them(
    engine, monkeypatch
):
    monkeypatch.setattr(stats_cache, "SLOW", 0.0)  # every answer counts as slow ...
    monkeypatch.setattr(stats_cache, "MIN_KEPT_COMPLAINTS", 0)  # ... and as national-scale
    now = datetime.now(UTC)
    await load(engine)
    first = await _stats(engine, now)
    assert (first.overall.total, first.overall.median_hours, first.percentiles_computed_at) == (5, pytest.approx(30.0), now)
    await _add_a_sixth(engine)
    later = now + timedelta(minutes=1)
    kept = await _stats(engine, later)
    assert (kept.overall.total, kept.overall.completed) == (6, 4)  # the counts see the write at once ...
    assert (kept.computed_at, kept.overall.median_hours, kept.percentiles_computed_at) == (later, pytest.approx(30.0), now)  # ...
    aged = await _stats(engine, now + stats_cache.MAX_AGE + timedelta(seconds=1))
    assert aged.overall.median_hours == pytest.approx(20.0)
    assert await stats_cache.warm(engine, now=later) == 2
    refreshed = await _stats(engine, later)
    assert (refreshed.overall.median_hours, refreshed.percentiles_computed_at) == (pytest.approx(20.0), later)
