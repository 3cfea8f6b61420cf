"""A complaint's timeline events and its sources."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.schema.types.enums import ComplaintStatus, EventKind, Role
from hub.store import models
from hub.store.read_rows import EventRow, SourceRow, regional_details, source_details


@strawberry.type(description="One thing a source system says of a complaint or an event, in its own field name and words.")
class SourceDetail:
    name: str = strawberry.field(description="The field's name in the source system")
    value: str = strawberry.field(description="Its value, as text")


@strawberry.type(description="Something that happened to a complaint, with who did it and which system said so.")
class TimelineEvent:
    kind: EventKind = strawberry.field(description="What happened")
    from_status: ComplaintStatus | None = strawberry.field(
        description="The status before; null when the event did not change it")
    to_status: ComplaintStatus | None = strawberry.field(
        description="The status after; null when the event did not change it")
    text: str | None = strawberry.field(
        description="What was written, e.g. a follow-up's words (tindak lanjut); a withheld reporter's "
                    "contact details removed")
    actor: str = strawberry.field(
        description="Who did it; \"Pelapor (dirahasiakan)\" when the reporter's identity is withheld from you")
    actor_role: Role | None = strawberry.field(description="The actor's role; null when the source system did not say")
    source_system: str = strawberry.field(
        description="The system that recorded it: lapor-hub or a regional app, e.g. open311:61.71")
    occurred_at: datetime = strawberry.field(description="The source system's own time")
    recorded_at: datetime = strawberry.field(description="When the hub recorded it (UTC)")
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
    source_system: str = strawberry.field(description="The system: lapor-hub or a regional app, e.g. open311:61.71")
    source_id: str = strawberry.field(description="The complaint's id in that system")
    source_updated_at: datetime | None = strawberry.field(
        description="When that system last changed the complaint (UTC); null when it does not say")
    first_seen_at: datetime = strawberry.field(description="When the hub first saw it there (UTC)")
    last_seen_at: datetime = strawberry.field(description="When the hub last saw it there (UTC)")
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
    name: str | None = strawberry.field(description="The reporter's name; null when not given")
    phone: str | None = strawberry.field(description="The reporter's phone number; null when not given")
    email: str | None = strawberry.field(description="The reporter's e-mail address; null when not given")
