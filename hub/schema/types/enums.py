"""The national vocabulary as GraphQL enums."""

from __future__ import annotations

import strawberry

from hub.domain import escalation, vocabulary
from hub.store.complaint_queries import ComplaintOrder as _ComplaintOrder

ComplaintType = strawberry.enum(vocabulary.ComplaintType, description="pengaduan, aspirasi or permintaan informasi")
Privacy = strawberry.enum(vocabulary.Privacy)
Channel = strawberry.enum(vocabulary.Channel)
ComplaintStatus = strawberry.enum(vocabulary.Status, name="ComplaintStatus")
EventKind = strawberry.enum(vocabulary.EventKind)
Role = strawberry.enum(vocabulary.Role)
RegionLevel = strawberry.enum(vocabulary.RegionLevel)
ComplaintOrder = strawberry.enum(_ComplaintOrder)
EscalationLevel = strawberry.enum(
    escalation.EscalationLevel,
    description="Who answers for a breached deadline nobody met: its handler (NONE), the region's admin, the nation's")
