"""Recording a new complaint in the national record.

:func:`record_complaint` is the one way a complaint enters the store: it
allocates the tracking id, stores the reporter apart, computes due dates,
writes the first timeline event and the complaint's source pair(s).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import Channel, ComplaintType, EventKind, Privacy, Role, Status
from hub.store.deadlines import refresh_due_dates
from hub.store.models import Category, Complaint, ComplaintSource, Reporter, TimelineEvent
from hub.store.tracking import allocate_tracking_ids

NATIONAL_SYSTEM = "lapor-hub"  # source_system of the hub itself


@dataclass(frozen=True, slots=True)
class NewReporter:
    name: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class NewComplaint:
    title: str
    body: str
    region_code: str
    type: ComplaintType = ComplaintType.COMPLAINT
    privacy: Privacy = Privacy.PUBLIC
    channel: Channel = Channel.WEB
    category_code: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    reporter: NewReporter | None = None
    reporter_id: int | None = None
    submitted_at: datetime | None = None
    source_system: str = NATIONAL_SYSTEM
    source_id: str | None = None  # the id in source_system; the tracking id for the hub itself
    actor: str = "pelapor"
    extra_sources: tuple[tuple[str, str], ...] = field(default=())


async def record_complaint(
    session: AsyncSession, new: NewComplaint, *, levels: ServiceLevels, now: datetime
) -> Complaint:
    submitted_at = new.submitted_at or now
    (tracking_id,) = await allocate_tracking_ids(session, submitted_at.year)
    reporter_id = new.reporter_id
    if reporter_id is None and new.reporter is not None:
        reporter = Reporter(name=new.reporter.name, phone=new.reporter.phone, email=new.reporter.email, created_at=now)
        session.add(reporter)
        await session.flush()
        reporter_id = reporter.id
    resolve_days = None
    if new.category_code is not None:
        category = await session.get(Category, new.category_code)
        if category is None:
            raise ValueError(f"unknown category code {new.category_code!r}")
        resolve_days = category.resolve_days
    complaint = Complaint(
        tracking_id=tracking_id,
        title=new.title,
        body=new.body,
        type=new.type,
        privacy=new.privacy,
        channel=new.channel,
        status=Status.SUBMITTED,
        region_code=new.region_code,
        category_code=new.category_code,
        address=new.address,
        latitude=new.latitude,
        longitude=new.longitude,
        reporter_id=reporter_id,
        created_at=submitted_at,
        updated_at=submitted_at,
        postponed_working_days=0,
    )
    refresh_due_dates(complaint, levels=levels, now=now, resolve_days=resolve_days)
    session.add(complaint)
    await session.flush()
    source_id = new.source_id if new.source_id is not None else tracking_id
    session.add(ComplaintSource(complaint_id=complaint.id, source_system=new.source_system, source_id=source_id,
                                source_updated_at=submitted_at, first_seen_at=now, last_seen_at=now))
    for system, local_id in new.extra_sources:
        session.add(ComplaintSource(complaint_id=complaint.id, source_system=system, source_id=local_id,
                                    first_seen_at=now, last_seen_at=now))
    session.add(
        TimelineEvent(
            complaint_id=complaint.id,
            kind=EventKind.SUBMITTED,
            to_status=Status.SUBMITTED,
            actor=new.actor,
            actor_role=Role.REPORTER,
            source_system=new.source_system,
            occurred_at=submitted_at,
            recorded_at=now,
        )
    )
    await session.flush()
    return complaint


async def submission_event(session: AsyncSession, complaint_id: int) -> TimelineEvent | None:
    """The SUBMITTED event :func:`record_complaint` wrote, for a caller that adds to it (a manual entry's details)."""
    return await session.scalar(select(TimelineEvent).where(TimelineEvent.complaint_id == complaint_id,
                                                            TimelineEvent.kind == EventKind.SUBMITTED))
