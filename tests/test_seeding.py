from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.domain.lifecycle import TRANSITIONS
from hub.domain.sla import ServiceLevels
from hub.domain.tracking import is_tracking_id
from hub.domain.vocabulary import Channel, EventKind, Privacy, RegionLevel, Status
from hub.store.database import create_engine, session_factory
from hub.store.deadlines import refresh_due_dates
from hub.store.migrate import upgrade
from hub.store.models import Agency, Category, Complaint, ComplaintSource, Region, Reporter, TimelineEvent
from hub.store.seeding import ensure_agencies, seed_complaints

NOW = datetime(2026, 3, 2, 4, 30, tzinfo=UTC)
COUNT = 300
MILESTONES = ("created_at", "verified_at", "dispositioned_at", "first_follow_up_at", "resolved_at")
DISPOSITIONED_OR_LATER = {Status.DISPOSITIONED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED}
LEFT_LIFECYCLE = {Status.REJECTED, Status.CLOSED, Status.WITHDRAWN, Status.ARCHIVED}


async def _store(path: Path) -> AsyncEngine:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(engine)
    return engine


@pytest.fixture
async def seeded(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = await _store(tmp_path / "seed.db")
    summary = await seed_complaints(engine, count=COUNT, now=NOW)
    assert summary.complaints == COUNT
    assert 0 < summary.reporters < COUNT  # some reporters file several complaints
    assert summary.events > 3 * COUNT
    assert summary.agencies > 0
    yield engine
    await engine.dispose()


async def _complaints(engine: AsyncEngine) -> list[Complaint]:
    async with session_factory(engine)() as session:
        return list((await session.scalars(select(Complaint).order_by(Complaint.id))).all())


async def test_milestones_follow_the_lifecycle(seeded: AsyncEngine) -> None:
    for c in await _complaints(seeded):
        reached = [getattr(c, name) for name in MILESTONES if getattr(c, name) is not None]
        assert reached == sorted(reached), c.tracking_id
        assert all(moment <= NOW for moment in reached)
        assert c.closed_at is None or c.created_at <= c.closed_at <= NOW
        assert c.updated_at >= max(reached) and c.updated_at <= NOW
        assert (c.closed_at is not None) == (c.status in LEFT_LIFECYCLE), c.status
        assert (c.verified_at is not None) == (
            c.status in DISPOSITIONED_OR_LATER | {Status.VERIFIED}
            or (c.status in {Status.WITHDRAWN, Status.ARCHIVED} and c.verified_at is not None)
        )
        if c.status in DISPOSITIONED_OR_LATER:
            assert c.dispositioned_at is not None and c.agency_id is not None
        elif c.status not in {Status.REJECTED, Status.WITHDRAWN, Status.ARCHIVED}:
            assert c.dispositioned_at is None and c.agency_id is None
        assert (c.agency_id is not None) == (c.dispositioned_at is not None)
        if c.status in {Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED}:
            assert c.first_follow_up_at is not None
        if c.status in {Status.RESOLVED, Status.CLOSED}:
            assert c.resolved_at is not None
        if c.rating is not None:
            assert 1 <= c.rating <= 5 and c.rating_comment and c.resolved_at is not None
        if c.status is Status.REJECTED:
            assert c.verified_at is None


async def test_timelines_replay_the_lifecycle(seeded: AsyncEngine) -> None:
    complaints = {c.id: c for c in await _complaints(seeded)}
    async with session_factory(seeded)() as session:
        rows = (await session.scalars(select(TimelineEvent).order_by(TimelineEvent.complaint_id, TimelineEvent.id))).all()
        agencies = dict((await session.execute(select(Agency.id, Agency.name))).all())
    timelines: dict[int, list[TimelineEvent]] = defaultdict(list)
    for event in rows:
        timelines[event.complaint_id].append(event)
    assert set(timelines) == set(complaints)
    for complaint_id, events in timelines.items():
        c = complaints[complaint_id]
        assert events[0].kind is EventKind.SUBMITTED and events[0].occurred_at == c.created_at
        times = [e.occurred_at for e in events]
        assert times == sorted(times) and times[-1] == c.updated_at
        status = Status.SUBMITTED
        for e in events:
            assert e.actor and e.source_system
            if c.channel is Channel.REGIONAL_APP:
                assert e.source_system.endswith(f":{c.region_code}")
            else:
                assert e.source_system == "lapor-hub"
            if e.kind is EventKind.STATUS_CHANGED:
                assert e.from_status is status
                assert e.to_status in {to for (frm, _), to in TRANSITIONS.items() if frm is status}
                status = e.to_status
            if e.kind is EventKind.DISPOSITION:
                assert agencies[c.agency_id] in e.text
        assert status is c.status


async def test_regions_agencies_and_categories_fit(seeded: AsyncEngine) -> None:
    async with session_factory(seeded)() as session:
        levels = dict((await session.execute(select(Region.code, Region.level))).all())
        agencies = {a.id: a for a in (await session.scalars(select(Agency))).all()}
    complaints = await _complaints(seeded)
    assert all(levels[c.region_code] in (RegionLevel.REGENCY, RegionLevel.CITY) for c in complaints)
    assert len({c.region_code[:2] for c in complaints}) >= 20  # spread over the country
    for c in complaints:
        assert -11.5 <= c.latitude <= 6.5 and 94.5 <= c.longitude <= 141.5
        if c.agency_id is not None:
            agency = agencies[c.agency_id]
            assert agency.region_code == c.region_code
            if c.category_code == "HEALTH":
                assert agency.short_name == "DINKES" and agency.name.startswith("Dinas Kesehatan ")


async def test_tracking_ids_and_sources(seeded: AsyncEngine) -> None:
    complaints = await _complaints(seeded)
    ids = [c.tracking_id for c in complaints]
    assert len(set(ids)) == len(ids) and all(is_tracking_id(t) for t in ids)
    async with session_factory(seeded)() as session:
        sources = (await session.execute(select(ComplaintSource.complaint_id, ComplaintSource.source_system))).all()
    systems: dict[int, set[str]] = defaultdict(set)
    for complaint_id, system in sources:
        systems[complaint_id].add(system)
    for c in complaints:
        assert "lapor-hub" in systems[c.id]
        assert len(systems[c.id]) == (2 if c.channel is Channel.REGIONAL_APP else 1)


async def test_due_dates_match_refresh_due_dates(seeded: AsyncEngine) -> None:
    async with session_factory(seeded)() as session:
        periods = dict((await session.execute(select(Category.code, Category.resolve_days))).all())
    breached = 0
    for c in await _complaints(seeded):
        stored = (c.verify_due, c.follow_up_due, c.resolve_due, c.answer_due)
        state = refresh_due_dates(c, levels=ServiceLevels(), now=NOW, resolve_days=periods[c.category_code])
        assert stored == (c.verify_due, c.follow_up_due, c.resolve_due, c.answer_due), c.tracking_id
        breached += state.any_breached
    assert 0 < breached < COUNT / 2  # some late, most on time


async def test_spread_of_statuses_privacy_and_channels(seeded: AsyncEngine) -> None:
    complaints = await _complaints(seeded)
    statuses = Counter(c.status for c in complaints)
    assert {Status.SUBMITTED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED, Status.REJECTED} <= set(statuses)
    assert len(statuses) >= 8
    privacy = Counter(c.privacy for c in complaints)
    assert privacy[Privacy.PUBLIC] > privacy[Privacy.ANONYMOUS] > 0 and privacy[Privacy.CONFIDENTIAL] > 0
    assert set(Counter(c.channel for c in complaints)) == set(Channel)
    assert min(c.created_at for c in complaints) < NOW.replace(year=2025)


async def test_deterministic_and_repeatable(tmp_path: Path, seeded: AsyncEngine) -> None:
    other = await _store(tmp_path / "other.db")
    try:
        await seed_complaints(other, count=COUNT, now=NOW)
        first = [(c.title, c.status, c.region_code) for c in await _complaints(seeded)]
        assert [(c.title, c.status, c.region_code) for c in await _complaints(other)] == first
    finally:
        await other.dispose()
    again = await seed_complaints(seeded, count=50, now=NOW)
    assert again.agencies == 0
    complaints = await _complaints(seeded)
    assert len(complaints) == COUNT + 50 and len({c.tracking_id for c in complaints}) == COUNT + 50
    async with session_factory(seeded)() as session:
        assert await session.scalar(select(func.count()).select_from(Reporter)) > 0


async def test_seed_into_chosen_regions(tmp_path: Path) -> None:
    engine = await _store(tmp_path / "regions.db")
    try:
        summary = await seed_complaints(engine, count=40, now=NOW, region_codes=["61.71", "34.04"])
        assert summary.agencies == 24
        assert {c.region_code for c in await _complaints(engine)} <= {"61.71", "34.04"}
        async with session_factory(engine)() as session:
            ids = await ensure_agencies(session, ["61.71", "11.01"])
            await session.commit()
            names = (await session.scalars(select(Agency.name).where(Agency.region_code == "61.71"))).all()
        assert len(ids["61.71"]) == 12 and len(ids["11.01"]) == 12
        assert "Dinas Kesehatan Kota Pontianak" in names
        with pytest.raises(ValueError, match="61"):
            await seed_complaints(engine, count=1, region_codes=["61"])
    finally:
        await engine.dispose()
