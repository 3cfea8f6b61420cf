"""Input types of the read API."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.schema.types.enums import Channel, ComplaintStatus, ComplaintType, EscalationLevel


@strawberry.input(name="BoundingBox", description="A rectangle of latitude and longitude (WGS 84 degrees)")
class BoundingBoxInput:
    south: float
    west: float
    north: float
    east: float


@strawberry.input(name="NearPoint", description="Within a distance of a point (WGS 84 degrees, kilometres)")
class NearPointInput:
    latitude: float
    longitude: float
    radius_km: float = strawberry.field(description="Up to 500 km")


@strawberry.input(name="ComplaintFilter", description="Filters on complaints; all given conditions must hold")
class ComplaintFilterInput:
    region_codes: list[str] | None = strawberry.field(
        default=None, description="Kemendagri codes; a province code covers its regencies and cities"
    )
    province_code: str | None = None
    statuses: list[ComplaintStatus] | None = None
    types: list[ComplaintType] | None = None
    category_codes: list[str] | None = None
    channels: list[Channel] | None = None
    agency_ids: list[int] | None = None
    created_from: datetime | None = strawberry.field(default=None, description="Inclusive")
    created_to: datetime | None = strawberry.field(default=None, description="Exclusive")
    sla_breached: bool | None = None
    escalation_levels: list[EscalationLevel] | None = strawberry.field(
        default=None, description="Escalated to one of these levels (NONE: not escalated)")
    text: str | None = strawberry.field(
        default=None, description="Words in the title or body, in any order; accents ignored; a word's beginning "
                                  "matches; on PostgreSQL misspelt words of four letters or more match too")
    resolve_due_from: datetime | None = strawberry.field(default=None, description="Resolution due at or after (inclusive)")
    resolve_due_to: datetime | None = strawberry.field(default=None, description="Resolution due before (exclusive)")
    within: BoundingBoxInput | None = strawberry.field(default=None, description="Located inside this rectangle")
    near: NearPointInput | None = strawberry.field(default=None, description="Located within a distance of a point")
