"""The outbox: changes a region must receive, and messages people must get, written with the change.

A row is written in the same transaction as the national change it carries,
so a change is never lost between the database and the regional app. The
dispatcher (:mod:`hub.sync.outbox`) delivers rows in id order per complaint
and target (``source_system``: a region's system, ``email``, ``sms`` or
``webhook:<subscription id>``), so a dead webhook never holds back a region.

::

    PENDING --delivered--> DELIVERED
    PENDING --N failures--> DEAD --retryPush--> PENDING
    MANUAL  (region accepts no writes: work for its admin) --marked done--> DONE
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from hub.store.models import Base, Id, enum_column
from hub.store.types import utcnow


class OutboxStatus(enum.StrEnum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    DEAD = "DEAD"  # gave up after the configured attempts; retryPush sets it PENDING again
    MANUAL = "MANUAL"  # the region's app takes no writes: an admin must type it in
    DONE = "DONE"  # manual work marked done by an admin


class OutboxTarget(enum.StrEnum):
    """Who a row is for: a regional app through its connector, or a notification channel."""

    REGION = "REGION"
    EMAIL = "EMAIL"
    SMS = "SMS"
    WEBHOOK = "WEBHOOK"


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_next", "status", "next_attempt_at"),
        Index("ix_outbox_complaint", "complaint_id", "id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    source_system: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(32))  # a hub.domain.changes.ChangeKind
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # the change, by hub.domain.changes.to_payload
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(enum_column(OutboxStatus), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    handled_by: Mapped[str | None] = mapped_column(String(200))  # who marked manual work done
    # The id the regional app gave the follow-up or comment this row became, so
    # the next pull recognises it as the hub's own and does not add it twice.
    regional_event_id: Mapped[str | None] = mapped_column(String(120))
    target: Mapped[OutboxTarget] = mapped_column(enum_column(OutboxTarget), default=OutboxTarget.REGION,
                                                 server_default=text("'REGION'"))
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("webhook_subscriptions.id"), index=True)


from hub.store import notify_models as _notify_models  # noqa: E402,F401  (the subscriptions table a row may name)
