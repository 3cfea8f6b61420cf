"""Input types of the read API."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.schema.types.enums import Channel, ComplaintStatus, ComplaintType


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
    text: str | None = strawberry.field(default=None, description="Words in the title or body")
