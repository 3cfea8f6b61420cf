"""A complaint's timeline events and its sources."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.schema.types.enums import ComplaintStatus, EventKind, Role
from hub.store import models
from hub.store.read_rows import EventRow, SourceRow, regional_details, source_details


@strawberry.type(description="One thing a source system says of a complaint or an event, in its own field name and words.")
class SourceDetail:
    name: str
    value: str


@strawberry.type(description="Something that happened to a complaint, with who did it and which system said so.")
class TimelineEvent:
    kind: EventKind
    from_status: ComplaintStatus | None
    to_status: ComplaintStatus | None
    text: str | None
    actor: str
    actor_role: Role | None
    source_system: str
    occurred_at: datetime = strawberry.field(description="The source system's own time")
    recorded_at: datetime
    details: list[SourceDetail] = strawberry.field(
        description="What the regional system says of the event beyond these fields, by name (an Open311 "
                    "update's status and external_status_code)")

    @classmethod
    def of(cls, row: models.TimelineEvent | EventRow, *, actor: str | None = None, text: str | None = None) -> TimelineEvent:
        return cls(
            kind=row.kind,
            from_status=row.from_status,
            to_status=row.to_status,
            text=text if text is not None else row.text,
            actor=actor if actor is not None else row.actor,
            actor_role=row.actor_role,
            source_system=row.source_system,
            occurred_at=row.occurred_at,
            recorded_at=row.recorded_at,
            details=[SourceDetail(name=name, value=value) for name, value in regional_details(row.details)],
        )


@strawberry.type(description="A system that holds a copy of the complaint, and the complaint's id there.")
class ComplaintSource:
    source_system: str
    source_id: str
    source_updated_at: datetime | None
    first_seen_at: datetime
    last_seen_at: datetime
    details: list[SourceDetail] = strawberry.field(
        description="What the source says beyond the national fields, by name (an Open311 request's "
                    "status_notes, agency_responsible, service_notice, expected_datetime, media_url, address, zipcode)")

    @classmethod
    def of(cls, row: models.ComplaintSource | SourceRow) -> ComplaintSource:
        return cls(
            source_system=row.source_system,
            source_id=row.source_id,
            source_updated_at=row.source_updated_at,
            first_seen_at=row.first_seen_at,
            last_seen_at=row.last_seen_at,
            details=[SourceDetail(name=name, value=value) for name, value in source_details(row.details)],
        )


@strawberry.type(description="The person who filed a complaint (pelapor); withheld where scope says so.")
class Reporter:
    name: str | None
    phone: str | None
    email: str | None
