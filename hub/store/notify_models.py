"""Notices waiting to be told, webhook subscriptions, and every delivery attempt.

A :class:`NoticeRow` is written in the transaction of the change it tells
about (``hub.store.notices.record_notice``); the dispatcher turns each into
outbox rows (an e-mail and an SMS for the reporter, a delivery per matching
webhook subscription) once, in one transaction, and marks it ``fanned_out_at``.
The facts that scope rules read (region, privacy, agency, reporter) are kept
as they were when it happened.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.domain.vocabulary import Privacy
from hub.domain.webhook_events import ScopeKind
from hub.store.models import Base, Id, enum_column
from hub.store.types import utcnow


class NoticeRow(Base):
    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_waiting", "fanned_out_at", "id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # a hub.domain.notices.NoticeKind
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # the notice, by hub.domain.notices.notice_payload
    region_code: Mapped[str] = mapped_column(String(8))
    privacy: Mapped[Privacy] = mapped_column(enum_column(Privacy))
    agency_id: Mapped[int | None] = mapped_column(Id)
    reporter_id: Mapped[int | None] = mapped_column(Id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    fanned_out_at: Mapped[datetime | None]


class WebhookSubscription(Base):
    """A system that asked to hear of complaints in its scope, at ``url``, signed with ``secret``."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(1000))
    secret: Mapped[str] = mapped_column(String(200))  # whsec_<base64>; the key signing needs, so kept as is
    event_kinds: Mapped[list[str]] = mapped_column(JSON)  # hub.domain.notices.NoticeKind values
    scope_kind: Mapped[ScopeKind] = mapped_column(enum_column(ScopeKind))
    scope_region_code: Mapped[str | None] = mapped_column(String(8))
    scope_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxAttempt(Base):
    """One try at delivering an outbox row: when, whether it worked, what came back."""

    __tablename__ = "outbox_attempts"
    __table_args__ = (Index("ix_outbox_attempts_row", "outbox_id", "id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"))
    attempted_at: Mapped[datetime]
    succeeded: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str | None] = mapped_column(Text)  # the error, or what the receiver answered
    duration_ms: Mapped[float | None] = mapped_column(Float)
