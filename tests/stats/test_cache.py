"""Slow national answers are kept a few minutes and refreshed by the scheduler's job."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hub.domain.access import NATIONAL
from hub.store import stats_cache
from hub.store.complaint_queries import ComplaintFilter
from hub.store.database import session_factory
from hub.store.stats_queries import GroupBy, group_stats
from tests.stats.dataset import complaints, load


async def _total(engine, now: datetime) -> tuple[int, datetime]:
    async with session_factory(engine)() as session:
        result = await group_stats(session, NATIONAL, where=ComplaintFilter(), group_by=GroupBy.PROVINCE, now=now)
    return result.overall.total, result.computed_at


async def test_fast_answers_are_always_live(engine):
    now = datetime.now(UTC)
    assert (await _total(engine, now))[0] == 0
    await load(engine)
    assert (await _total(engine, now))[0] == 5


async def test_an_answer_slow_only_because_the_machine_is_busy_is_never_kept(engine, monkeypatch):
    monkeypatch.setattr(stats_cache, "SLOW", 0.0)  # every answer counts as slow, but five complaints are few
    now = datetime.now(UTC)
    await load(engine)
    assert (await _total(engine, now))[0] == 5
    async with session_factory(engine)() as session, session.begin():
        extra = complaints()[0]
        extra.tracking_id = "LPR-2019-0000099"
        session.add(extra)
    assert (await _total(engine, now + timedelta(seconds=1)))[0] == 6  # live, not a stored 5


async def test_slow_answers_are_reused_until_they_age_or_the_job_refreshes_them(engine, monkeypatch):
    monkeypatch.setattr(stats_cache, "SLOW", 0.0)  # every answer counts as slow ...
    monkeypatch.setattr(stats_cache, "MIN_KEPT_COMPLAINTS", 0)  # ... and as national-scale
    now = datetime.now(UTC)
    await load(engine)
    assert await _total(engine, now) == (5, now)
    async with session_factory(engine)() as session, session.begin():
        extra = complaints()[0]
        extra.tracking_id = "LPR-2019-0000099"
        session.add(extra)
    later = now + timedelta(minutes=1)
    assert await _total(engine, later) == (5, now)  # kept: at most five minutes old
    assert (await _total(engine, now + stats_cache.MAX_AGE + timedelta(seconds=1)))[0] == 6
    assert await stats_cache.warm(engine, now=later) == 6
    assert await _total(engine, later) == (6, later)
