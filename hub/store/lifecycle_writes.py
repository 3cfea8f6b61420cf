"""Acting on a stored complaint: transitions, follow-ups, ratings, merges.

Every function here runs inside the caller's transaction and leaves three
things behind together: the complaint's new state (status, milestones, due
dates), a timeline event naming the actor, and a change announcement
(:mod:`hub.store.change_feed`). Which changes must also reach a region is the
caller's decision (:func:`hub.store.outbox_writes.enqueue`), because only the
caller knows the connected regions.

The lifecycle's table decides whether an action is legal
(:func:`hub.domain.lifecycle.apply` raises ``IllegalTransition``); who may
act is decided before this module is called (:mod:`hub.domain.actions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.lifecycle import Action, apply
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import EventKind, Role, Status
from hub.store.change_feed import announce, complaint_changed
from hub.store.complaint_writes import NATIONAL_SYSTEM
from hub.store.deadlines import refresh_due_dates
from hub.store.duplicate_flags import settle_merged
from hub.store.milestones import move_to
from hub.store.models import Category, Complaint, ComplaintSource, TimelineEvent


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    role: Role | None


SYSTEM_ACTOR = Actor(name="system", role=None)


async def find_complaint(session: AsyncSession, *, complaint_id: int | None = None,
                         tracking_id: str | None = None) -> Complaint | None:
    """The complaint to act on, following a merged duplicate to the complaint it was merged into."""
    if complaint_id is not None:
        found = await session.get(Complaint, complaint_id, populate_existing=True)
    else:
        found = await session.scalar(select(Complaint).where(Complaint.tracking_id == (tracking_id or "").strip()))
    seen: set[int] = set()
    while found is not None and found.merged_into_id is not None and found.id not in seen:
        seen.add(found.id)
        found = await session.get(Complaint, found.merged_into_id)
    return found


async def lock(session: AsyncSession, complaint: Complaint) -> None:
    """Serialise writers of one complaint (a row lock on PostgreSQL; SQLite writes are serial anyway)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(Complaint.id).where(Complaint.id == complaint.id).with_for_update())
        await session.refresh(complaint)


async def _refresh_dues(session: AsyncSession, complaint: Complaint, levels: ServiceLevels, now: datetime) -> None:
    days = None
    if complaint.category_code:
        category = await session.get(Category, complaint.category_code)
        days = category.resolve_days if category else None
    refresh_due_dates(complaint, levels=levels, now=now, resolve_days=days)


def _event(complaint: Complaint, kind: EventKind, actor: Actor, now: datetime, **fields: Any) -> TimelineEvent:
    return TimelineEvent(complaint_id=complaint.id, kind=kind, actor=actor.name, actor_role=actor.role,
                         source_system=NATIONAL_SYSTEM, occurred_at=now, recorded_at=now, **fields)


async def transition(
    session: AsyncSession, complaint: Complaint, action: Action, *, actor: Actor, now: datetime, levels: ServiceLevels,
    kind: EventKind = EventKind.STATUS_CHANGED, text: str | None = None, details: dict[str, Any] | None = None,
) -> TimelineEvent:
    """Apply ``action`` (or raise ``IllegalTransition``) and record it on the timeline."""
    previous = complaint.status
    status = apply(previous, action)
    move_to(complaint, status, now)
    complaint.updated_at = now
    await _refresh_dues(session, complaint, levels, now)
    event = _event(complaint, kind, actor, now, from_status=previous, to_status=status, text=text,
                   details={"action": action.value, **(details or {})})
    session.add(event)
    await announce(session, complaint_changed(complaint.id, complaint.region_code))
    await session.flush()
    return event


async def note(
    session: AsyncSession, complaint: Complaint, kind: EventKind, *, actor: Actor, now: datetime,
    text: str | None = None, details: dict[str, Any] | None = None,
) -> TimelineEvent:
    """An event that changes no status: a comment, or a rating after closing."""
    complaint.updated_at = now
    event = _event(complaint, kind, actor, now, text=text, details=details)
    session.add(event)
    await announce(session, complaint_changed(complaint.id, complaint.region_code))
    await session.flush()
    return event


async def merge(
    session: AsyncSession, keep: Complaint, duplicate: Complaint, *, actor: Actor, now: datetime
) -> None:
    """Move the duplicate's sources and timeline to ``keep``; the duplicate points at it.

    The duplicate row stays (with ``merged_into_id``) so its tracking id keeps
    finding the kept complaint; it is archived so lists and counts skip it.
    Open duplicate flags between the two are settled as merged.
    """
    await session.execute(update(ComplaintSource).where(ComplaintSource.complaint_id == duplicate.id)
                          .values(complaint_id=keep.id))
    kept_keys = set((await session.execute(
        select(TimelineEvent.source_system, TimelineEvent.source_event_id)
        .where(TimelineEvent.complaint_id == keep.id, TimelineEvent.source_event_id.is_not(None))
    )).all())
    moved = 0
    for event in await session.scalars(select(TimelineEvent).where(TimelineEvent.complaint_id == duplicate.id)):
        if (event.source_system, event.source_event_id) in kept_keys:  # e.g. both "submitted" in one region
            event.source_event_id = f"{duplicate.tracking_id}:{event.source_event_id}"
        event.complaint_id = keep.id
        moved += 1
    previous = duplicate.status
    duplicate.merged_into_id = keep.id
    move_to(duplicate, Status.ARCHIVED, now)
    duplicate.updated_at = keep.updated_at = now
    details = {"kept": keep.tracking_id, "duplicate": duplicate.tracking_id, "events_moved": moved}
    session.add(_event(keep, EventKind.MERGED, actor, now, text=f"{duplicate.tracking_id} digabung ke {keep.tracking_id}",
                       details=details))
    session.add(_event(duplicate, EventKind.MERGED, actor, now, from_status=previous, to_status=Status.ARCHIVED,
                       text=f"digabung ke {keep.tracking_id}", details=details))
    await settle_merged(session, keep.id, duplicate.id, by=actor.name, now=now)
    await announce(session, complaint_changed(keep.id, keep.region_code))
    await announce(session, complaint_changed(duplicate.id, duplicate.region_code))
    await session.flush()


async def regional_id(session: AsyncSession, complaint_id: int, source_system: str) -> str | None:
    return await session.scalar(
        select(ComplaintSource.source_id).where(ComplaintSource.complaint_id == complaint_id,
                                                ComplaintSource.source_system == source_system).limit(1)
    )


async def link_source(session: AsyncSession, complaint_id: int, source_system: str, source_id: str,
                      *, now: datetime) -> tuple[ComplaintSource, bool]:
    """The source row of ``(source_system, source_id)``, added for ``complaint_id`` unless it exists.

    The dispatcher (recording the id a submission push got) and a pull (meeting
    the region's record that echoes the tracking id) may add the same pair at
    the same moment; the insert skips a row another writer committed first, so
    neither fails. Returns the row and whether this call added it.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    # The region's own update time is unknown until the next pull (and on the region's clock,
    # not ours), so source_updated_at stays empty.
    added = cast(CursorResult[Any], await session.execute(  # an INSERT's result is a CursorResult
        insert(ComplaintSource)
        .values(complaint_id=complaint_id, source_system=source_system, source_id=source_id, source_updated_at=None,
                first_seen_at=now, last_seen_at=now)
        .on_conflict_do_nothing(index_elements=["source_system", "source_id"])
    ))
    row = await session.scalar(select(ComplaintSource).where(ComplaintSource.source_system == source_system,
                                                             ComplaintSource.source_id == source_id))
    assert row is not None
    return row, bool(added.rowcount)


async def record_regional_id(session: AsyncSession, complaint_id: int, source_system: str, source_id: str,
                             *, now: datetime) -> bool:
    """Remember the id a region gave the complaint, so its next pull joins it; ``False`` if known already."""
    return (await link_source(session, complaint_id, source_system, source_id, now=now))[1]
