"""Consolidation: regional records into the national record, idempotently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from hub.connectors.records import RegionalEvent, RegionalRecord, RegionalReporter
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import EventKind, Status
from hub.store.complaint_writes import NewComplaint, record_complaint
from hub.store.database import session_factory
from hub.store.models import Complaint, ComplaintSource, TimelineEvent
from hub.store.sync_models import DuplicateFlag
from hub.sync.consolidate import Consolidator

T0 = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)
SYSTEM = "rest:19.71"


def record(source_id: str = "101", *, status: Status = Status.SUBMITTED, updated: timedelta = timedelta(0), **extra) -> RegionalRecord:
    fields = dict(
        source_id=source_id,
        title="Jalan berlubang di Jl. Soekarno Hatta",
        body="Lubang besar dekat SDN 3 membahayakan pengendara motor.",
        status=status,
        created_at=T0,
        updated_at=T0 + updated,
        category_code="ROADS",
        reporter=RegionalReporter(name="Siti Rahayu", phone="081234567890"),
    )
    fields.update(extra)
    return RegionalRecord(**fields)


async def apply(engine, *records: RegionalRecord):
    consolidator = Consolidator(region_code="19.71", source_system=SYSTEM, levels=ServiceLevels())
    async with session_factory(engine)() as session, session.begin():
        return await consolidator.apply(session, list(records), now=datetime.now(UTC))


async def complaints(engine) -> list[Complaint]:
    async with session_factory(engine)() as session:
        return list((await session.scalars(select(Complaint).order_by(Complaint.id))).all())


async def events(engine, complaint_id: int) -> list[TimelineEvent]:
    async with session_factory(engine)() as session:
        rows = await session.scalars(
            select(TimelineEvent).where(TimelineEvent.complaint_id == complaint_id).order_by(TimelineEvent.occurred_at, TimelineEvent.id)
        )
        return list(rows.all())


async def test_a_new_record_becomes_one_complaint_with_its_source_and_first_event(engine):
    outcome = await apply(engine, record())
    assert (outcome.created, outcome.updated, outcome.unchanged) == (1, 0, 0)
    (complaint,) = await complaints(engine)
    assert complaint.region_code == "19.71" and complaint.status is Status.SUBMITTED
    assert complaint.tracking_id.startswith("LPR-2026-")
    assert [e.kind for e in await events(engine, complaint.id)] == [EventKind.SUBMITTED]


async def test_the_same_record_twice_changes_nothing(engine):
    await apply(engine, record())
    outcome = await apply(engine, record())
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 1)
    assert len(await complaints(engine)) == 1


async def test_a_record_repeated_within_a_page_is_applied_once(engine):
    outcome = await apply(engine, record(), record(status=Status.VERIFIED, updated=timedelta(hours=1)), record())
    assert outcome.created == 1
    (complaint,) = await complaints(engine)
    assert complaint.status is Status.VERIFIED


async def test_a_status_change_is_a_timeline_event_with_the_source_time(engine):
    await apply(engine, record())
    outcome = await apply(engine, record(status=Status.IN_PROGRESS, updated=timedelta(days=2)))
    assert outcome.updated == 1
    (complaint,) = await complaints(engine)
    assert complaint.status is Status.IN_PROGRESS
    assert complaint.verified_at == T0 + timedelta(days=2) and complaint.dispositioned_at is not None
    change = [e for e in await events(engine, complaint.id) if e.kind is EventKind.STATUS_CHANGED]
    assert len(change) == 1
    assert (change[0].from_status, change[0].to_status) == (Status.SUBMITTED, Status.IN_PROGRESS)
    assert change[0].occurred_at == T0 + timedelta(days=2) and change[0].source_system == SYSTEM


async def test_an_older_change_than_the_one_applied_is_ignored(engine):
    await apply(engine, record(status=Status.RESOLVED, updated=timedelta(days=3)))
    outcome = await apply(engine, record(status=Status.IN_PROGRESS, updated=timedelta(days=1)))
    assert outcome.unchanged == 1
    (complaint,) = await complaints(engine)
    assert complaint.status is Status.RESOLVED


async def test_follow_ups_are_added_once_each(engine):
    follow_up = RegionalEvent(source_event_id="t1", kind=EventKind.FOLLOW_UP, occurred_at=T0 + timedelta(days=1),
                              text="Sudah ditinjau petugas PUPR", actor="Dinas PUPR")
    await apply(engine, record(events=(follow_up,)))
    second = RegionalEvent(source_event_id="t2", kind=EventKind.FOLLOW_UP, occurred_at=T0 + timedelta(days=2),
                           text="Perbaikan dijadwalkan", actor="Dinas PUPR")
    await apply(engine, record(updated=timedelta(days=2), events=(follow_up, second)))
    await apply(engine, record(updated=timedelta(days=2, seconds=1), events=(follow_up, second)))
    (complaint,) = await complaints(engine)
    texts = [e.text for e in await events(engine, complaint.id) if e.kind is EventKind.FOLLOW_UP]
    assert texts == ["Sudah ditinjau petugas PUPR", "Perbaikan dijadwalkan"]


async def test_a_record_echoing_a_national_tracking_id_joins_that_complaint(engine):
    async with session_factory(engine)() as session, session.begin():
        national = await record_complaint(
            session, NewComplaint(title="Lampu PJU mati", body="Sejak seminggu", region_code="19.71"),
            levels=ServiceLevels(), now=T0,
        )
    await apply(engine, record("555", tracking_id=national.tracking_id, title="Lampu PJU mati", status=Status.VERIFIED,
                               updated=timedelta(hours=5)))
    (complaint,) = await complaints(engine)
    assert complaint.id == national.id and complaint.status is Status.VERIFIED
    async with session_factory(engine)() as session:
        pairs = {(s.source_system, s.source_id) for s in await session.scalars(select(ComplaintSource))}
    assert pairs == {("lapor-hub", national.tracking_id), (SYSTEM, "555")}


async def test_a_likely_duplicate_by_the_same_reporter_is_flagged_not_merged(engine):
    await apply(engine, record("1"))
    await apply(engine, record("2", created_at=T0 + timedelta(days=2), updated_at=T0 + timedelta(days=2),
                               body="Lubang besar dekat SDN 3 sangat membahayakan pengendara motor."))
    await apply(engine, record("3", created_at=T0 + timedelta(days=20), updated_at=T0 + timedelta(days=20)))
    assert len(await complaints(engine)) == 3
    async with session_factory(engine)() as session:
        flags = list((await session.scalars(select(DuplicateFlag))).all())
        reporters = (await session.execute(select(func.count(func.distinct(Complaint.reporter_id))))).scalar_one()
    assert reporters == 1
    assert len(flags) == 1 and "same reporter" in flags[0].reason


async def test_a_pull_and_a_push_that_meet_the_same_regional_record_join_one_source(engine):
    """The dispatcher recorded the id a submission push got while a pull was already applying a page
    that echoes the tracking id: the pull joins the row the dispatcher wrote instead of failing."""
    from hub.store.lifecycle_writes import link_source, record_regional_id

    await apply(engine, record("900"))
    (complaint,) = await complaints(engine)
    now = datetime.now(UTC)
    async with session_factory(engine)() as session, session.begin():
        assert await record_regional_id(session, complaint.id, "open311:61.71", "SR-1", now=now)
    async with session_factory(engine)() as session, session.begin():
        source, added = await link_source(session, complaint.id, "open311:61.71", "SR-1", now=now)
        assert (source.complaint_id, added) == (complaint.id, False)
        assert not await record_regional_id(session, complaint.id, "open311:61.71", "SR-1", now=now)
    async with session_factory(engine)() as session:
        count = await session.scalar(select(func.count()).select_from(ComplaintSource)
                                     .where(ComplaintSource.source_system == "open311:61.71"))
    assert count == 1
