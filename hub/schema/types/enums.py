"""The national vocabulary as GraphQL enums.

A GraphQL enum here is the Python enum itself: ``strawberry.enum`` marks the class
and returns it. Each is named by a plain alias, then marked, so that mypy reads
the name as a type (an assignment from a call would be a variable to it); the
other enum declarations of hub.schema follow the same form.
"""

from __future__ import annotations

import strawberry

from hub.domain import escalation, vocabulary
from hub.domain.changes import ChangeKind
from hub.domain.notices import NoticeKind
from hub.store.complaint_queries import ComplaintOrder as _ComplaintOrder

ComplaintType = vocabulary.ComplaintType
strawberry.enum(ComplaintType, description="pengaduan, aspirasi or permintaan informasi")
Privacy = vocabulary.Privacy
strawberry.enum(
    Privacy,
    description="Who may read a complaint and its reporter: PUBLIC, ANONYMOUS (reporter hidden) or "
                "CONFIDENTIAL (rahasia: only the reporter and the staff handling it)")
Channel = vocabulary.Channel
strawberry.enum(
    Channel,
    description="How a complaint arrived: web, mobile app, SMS 1708, social media, typed in by an "
                "admin (MANUAL) or from a regional app")
ComplaintStatus = vocabulary.Status
strawberry.enum(
    ComplaintStatus, name="ComplaintStatus",
    description="Where a complaint stands in the national workflow, from SUBMITTED (belum "
                "terverifikasi) to CLOSED (selesai)")
EventKind = vocabulary.EventKind
strawberry.enum(
    EventKind,
    description="What a timeline event records, e.g. a follow-up (tindak lanjut) or a disposition (disposisi)")
Role = vocabulary.Role
strawberry.enum(
    Role,
    description="Whom a token speaks for: the public, a reporter (pelapor), an agency officer, a "
                "region's admin or a national admin")
RegionLevel = vocabulary.RegionLevel
strawberry.enum(
    RegionLevel,
    description="PROVINCE (provinsi), REGENCY (kabupaten) or CITY (kota)")
ComplaintOrder = _ComplaintOrder
strawberry.enum(
    ComplaintOrder,
    description="How to sort complaints: by creation, last update, verification due or resolution due "
                "time, ties broken by id; or RELEVANCE: best match for `filter.text` first (title words weigh "
                "more than description words; misspelt words count by their similarity), ties broken by "
                "newest then id (without text: newest first)")
EscalationLevel = escalation.EscalationLevel
strawberry.enum(
    EscalationLevel,
    description="Who answers for a breached deadline nobody met: its handler (NONE), the region's admin, the nation's")
WebhookEventKind = NoticeKind
strawberry.enum(WebhookEventKind, name="WebhookEventKind",
                description="What happened to a complaint; the `type` of a delivered event")
OutboxChange = ChangeKind
strawberry.enum(
    OutboxChange, name="OutboxChange",
    description="A change the hub sends a regional app, e.g. VERIFY, DISPOSITION or FOLLOW_UP (tindak lanjut)")
