"""A region that reports a postponement pauses the clocks too: its pull moves the due dates on resuming."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from hub.connectors.records import RegionalRecord, RegionalReporter
from hub.domain.sla import ServiceLevels, breaches
from hub.domain.vocabulary import Status
from hub.store.database import session_factory
from hub.store.models import Complaint
from hub.sync.consolidate import Consolidator

MONDAY = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)


def record(status: Status, at: datetime) -> RegionalRecord:
    return RegionalRecord(source_id="101", title="Jalan berlubang", body="Dekat SDN 3", status=status,
                          created_at=MONDAY, updated_at=at, category_code="ROADS",
                          reporter=RegionalReporter(name="Siti Rahayu", phone="081234567890"))


async def apply(engine, *records: RegionalRecord, now: datetime) -> Complaint:
    consolidator = Consolidator(region_code="19.71", source_system="rest:19.71", levels=ServiceLevels())
    for one in records:
        async with session_factory(engine)() as session, session.begin():
            await consolidator.apply(session, [one], now=now)
    async with session_factory(engine)() as session:
        return await session.scalar(select(Complaint))


async def test_a_pulled_postponement_pauses_and_resuming_moves_the_due_dates(engine):
    now = MONDAY + timedelta(days=30)
    filed = await apply(engine, record(Status.SUBMITTED, MONDAY), now=now)
    paused = await apply(engine, record(Status.POSTPONED, MONDAY + timedelta(hours=1)), now=now)
    assert paused.status is Status.POSTPONED and paused.postponed_at is not None
    assert breaches(paused, now) == (False, False, False)
    resumed = await apply(engine, record(Status.SUBMITTED, MONDAY + timedelta(days=4)), now=now)
    assert resumed.postponed_working_days == 4 and resumed.postponed_at is None
    assert (resumed.verify_due - filed.verify_due).days == 6  # Thu 8 -> Wed 14 October: 4 working days
    assert breaches(resumed, now)[0] is True
