"""Conflicts between a region's change and the nation's: a documented rule, both values kept."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from hub.domain.lifecycle import Action
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import EventKind, Status
from hub.store.database import session_factory
from hub.store.lifecycle_writes import Actor, transition
from hub.store.models import Complaint, TimelineEvent
from tests.sync.test_consolidate import T0, apply, record

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


async def test_after_disposition_the_handling_region_owns_the_status(engine):
    await apply(engine, record(status=Status.DISPOSITIONED, updated=timedelta(hours=1)))
    await national(engine, Action.FOLLOW_UP, T0 + timedelta(hours=5))
    await apply(engine, record(status=Status.RESOLVED, updated=timedelta(hours=2)))
    status, conflicts = await state(engine)
    assert status is Status.RESOLVED
    assert conflicts[0].details == {**conflicts[0].details, "national": "IN_PROGRESS", "regional": "RESOLVED",
                                    "winner": "region"}
