"""Input types of the read API."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.schema.types.enums import Channel, ComplaintStatus, ComplaintType, EscalationLevel


@strawberry.input(name="BoundingBoxFilter", description="A rectangle of latitude and longitude (WGS 84 degrees)")
class BoundingBoxInput:
    south: float = strawberry.field(description="Southern edge, latitude in degrees")
    west: float = strawberry.field(description="Western edge, longitude in degrees")
    north: float = strawberry.field(description="Northern edge, latitude in degrees")
    east: float = strawberry.field(description="Eastern edge, longitude in degrees")


@strawberry.input(name="NearPointFilter", description="Within a distance of a point (WGS 84 degrees, kilometres)")
class NearPointInput:
    latitude: float = strawberry.field(description="The point's latitude in degrees")
    longitude: float = strawberry.field(description="The point's longitude in degrees")
    radius_km: float = strawberry.field(description="Up to 500 km")


@strawberry.input(name="ComplaintFilter", description="Filters on complaints; all given conditions must hold")
class ComplaintFilterInput:
    region_codes: list[str] | None = strawberry.field(
        default=None, description="Kemendagri codes; a province code covers its regencies and cities"
    )
    province_code: str | None = strawberry.field(
        default=None, description="Kemendagri code of a province: its own, its regencies' and its cities' complaints")
    statuses: list[ComplaintStatus] | None = strawberry.field(default=None, description="Any of these statuses")
    types: list[ComplaintType] | None = strawberry.field(
        default=None, description="Any of these types (pengaduan, aspirasi, permintaan informasi)")
    category_codes: list[str] | None = strawberry.field(
        default=None, description="Any of these national category codes")
    channels: list[Channel] | None = strawberry.field(default=None, description="Arrived through any of these channels")
    agency_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Dispositioned to any of these agencies (their global ids)")
    created_from: datetime | None = strawberry.field(default=None, description="Inclusive")
    created_to: datetime | None = strawberry.field(default=None, description="Exclusive")
    sla_breached: bool | None = strawberry.field(
        default=None, description="True: some service-level deadline is breached now; false: none is")
    escalation_levels: list[EscalationLevel] | None = strawberry.field(
        default=None, description="Escalated to one of these levels (NONE: not escalated)")
    text: str | None = strawberry.field(
        default=None, description="Words in the title or body, in any order; accents ignored; a word's beginning "
                                  "matches; on PostgreSQL misspelt words of four letters or more match too")
    resolve_due_from: datetime | None = strawberry.field(default=None, description="Resolution due at or after (inclusive)")
    resolve_due_to: datetime | None = strawberry.field(default=None, description="Resolution due before (exclusive)")
    within: BoundingBoxInput | None = strawberry.field(default=None, description="Located inside this rectangle")
    near: NearPointInput | None = strawberry.field(default=None, description="Located within a distance of a point")
