"""The national vocabulary as GraphQL enums."""

from __future__ import annotations

import strawberry

from hub.domain import escalation, vocabulary
from hub.domain.changes import ChangeKind
from hub.domain.notices import NoticeKind
from hub.store.complaint_queries import ComplaintOrder as _ComplaintOrder

ComplaintType = strawberry.enum(vocabulary.ComplaintType, description="pengaduan, aspirasi or permintaan informasi")
Privacy = strawberry.enum(
    vocabulary.Privacy,
    description="Who may read a complaint and its reporter: PUBLIC, ANONYMOUS (reporter hidden) or "
                "CONFIDENTIAL (rahasia: only the reporter and the staff handling it)")
Channel = strawberry.enum(
    vocabulary.Channel,
    description="How a complaint arrived: web, mobile app, SMS 1708, social media, typed in by an "
                "admin (MANUAL) or from a regional app")
ComplaintStatus = strawberry.enum(
    vocabulary.Status, name="ComplaintStatus",
    description="Where a complaint stands in the national workflow, from SUBMITTED (belum "
                "terverifikasi) to CLOSED (selesai)")
EventKind = strawberry.enum(
    vocabulary.EventKind,
    description="What a timeline event records, e.g. a follow-up (tindak lanjut) or a disposition (disposisi)")
Role = strawberry.enum(
    vocabulary.Role,
    description="Whom a token speaks for: the public, a reporter (pelapor), an agency officer, a "
                "region's admin or a national admin")
RegionLevel = strawberry.enum(
    vocabulary.RegionLevel,
    description="PROVINCE (provinsi), REGENCY (kabupaten) or CITY (kota)")
ComplaintOrder = strawberry.enum(
    _ComplaintOrder,
    description="How to sort complaints: by creation, last update, verification due or resolution due "
                "time; ties broken by id")
EscalationLevel = strawberry.enum(
    escalation.EscalationLevel,
    description="Who answers for a breached deadline nobody met: its handler (NONE), the region's admin, the nation's")
WebhookEventKind = strawberry.enum(NoticeKind, name="WebhookEventKind",
                                   description="What happened to a complaint; the `type` of a delivered event")
OutboxChange = strawberry.enum(
    ChangeKind, name="OutboxChange",
    description="A change the hub sends a regional app, e.g. VERIFY, DISPOSITION or FOLLOW_UP (tindak lanjut)")
