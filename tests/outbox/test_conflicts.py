"""Conflicts between a region's change and the nation's: a documented rule, both values kept."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hub.domain.changes import VerifyChange
from hub.domain.lifecycle import Action
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import EventKind, Status
from hub.store.database import session_factory
from hub.store.lifecycle_writes import Actor, transition
from hub.store.models import Complaint, TimelineEvent
from hub.store.outbox_models import OutboxStatus
from hub.store.outbox_writes import PushTarget, enqueue
from tests.sync.test_consolidate import SYSTEM, T0, apply, record

ADMIN = Actor(name="admin.nasional", role=None)


async def national(engine, action: Action, at) -> None:
    async with session_factory(engine)() as session, session.begin():
        complaint = await session.scalar(select(Complaint))
        await transition(session, complaint, action, actor=ADMIN, now=at, levels=ServiceLevels())


async def state(engine) -> tuple[Status, list[TimelineEvent]]:
    async with session_factory(engine)() as session:
        complaint = await session.scalar(select(Complaint))
        events = list(await session.scalars(select(TimelineEvent).where(TimelineEvent.kind == EventKind.CONFLICT)))
        return complaint.status, events


async def test_before_disposition_the_later_source_time_wins_and_both_values_are_kept(engine):
    await apply(engine, record())
    await national(engine, Action.REJECT, T0 + timedelta(hours=3))
    await apply(engine, record(status=Status.VERIFIED, updated=timedelta(hours=2)))  # older than the rejection
    status, conflicts = await state(engine)
    assert status is Status.REJECTED
    assert conflicts[0].details["winner"] == "nation" and conflicts[0].details["regional"] == "VERIFIED"


async def test_a_region_ahead_of_the_hub_on_the_lifecycle_is_taken_without_a_conflict(engine):
    await apply(engine, record(status=Status.DISPOSITIONED, updated=timedelta(hours=1)))
    await national(engine, Action.FOLLOW_UP, T0 + timedelta(hours=5))
    await apply(engine, record(status=Status.RESOLVED, updated=timedelta(hours=2)))
    status, conflicts = await state(engine)
    assert status is Status.RESOLVED
    assert conflicts == []


async def test_a_regional_step_back_after_the_hubs_change_is_a_conflict_the_later_change_wins(engine):
    await apply(engine, record(status=Status.DISPOSITIONED, updated=timedelta(hours=1)))
    await national(engine, Action.FOLLOW_UP, T0 + timedelta(hours=5))
    await apply(engine, record(status=Status.VERIFIED, updated=timedelta(hours=6)))  # bukan wewenang, in the region
    await apply(engine, record(status=Status.VERIFIED, updated=timedelta(hours=7), body="Diteruskan ke OPD lain."))
    status, conflicts = await state(engine)
    assert status is Status.VERIFIED
    assert [(c.details["national"], c.details["regional"], c.details["winner"]) for c in conflicts] == [
        ("IN_PROGRESS", "VERIFIED", "region")]


async def push(engine, *, delivered_at=None) -> None:
    """The last national change of the complaint, as an outbox row for the region (delivered or not)."""
    async with session_factory(engine)() as session, session.begin():
        complaint = await session.scalar(select(Complaint))
        row = enqueue(session, complaint, PushTarget(region_code="19.71", source_system=SYSTEM, accepts_writes=True),
                      VerifyChange(tracking_id=complaint.tracking_id, occurred_at=complaint.updated_at,
                                   actor="admin", actor_role=None, status=complaint.status),
                      now=complaint.updated_at)
        if delivered_at is not None:
            row.status, row.delivered_at = OutboxStatus.DELIVERED, delivered_at


async def test_a_pending_change_stands_through_pulls_that_do_not_know_it(engine):
    await apply(engine, record())
    await national(engine, Action.VERIFY, T0 + timedelta(hours=3))
    await push(engine)  # the region is down: still pending
    for hours in (4, 5, 6):  # the region keeps saying what it said, with newer times
        await apply(engine, record(updated=timedelta(hours=hours), body=f"Isi diperbarui {hours}"))
    status, conflicts = await state(engine)
    assert status is Status.VERIFIED and conflicts == []


async def test_after_delivery_an_unchanged_region_is_behind_and_a_changed_one_wins_once(engine):
    await apply(engine, record())
    await national(engine, Action.VERIFY, T0 + timedelta(hours=3))
    await push(engine, delivered_at=T0 + timedelta(hours=4))
    await apply(engine, record(updated=timedelta(hours=5), body="Tanggapan dari hub tercatat."))
    assert await state(engine) == (Status.VERIFIED, [])
    await apply(engine, record(status=Status.REJECTED, updated=timedelta(hours=6)))  # the region's own word, later
    await apply(engine, record(status=Status.REJECTED, updated=timedelta(hours=7), body="Ditolak: bukan layanan publik."))
    status, conflicts = await state(engine)
    assert status is Status.REJECTED
    assert [(c.details["national"], c.details["regional"], c.details["winner"]) for c in conflicts] == [
        ("VERIFIED", "REJECTED", "region")]


async def test_a_region_that_moves_forward_after_delivery_is_taken_without_a_conflict(engine):
    await apply(engine, record())
    await national(engine, Action.VERIFY, T0 + timedelta(hours=3))
    await push(engine, delivered_at=T0 + timedelta(hours=4))
    await apply(engine, record(status=Status.WITHDRAWN, updated=timedelta(hours=6)))
    assert await state(engine) == (Status.WITHDRAWN, [])
