"""Writing and reading outbox rows (see :mod:`hub.store.outbox_models`).

:func:`enqueue` is called inside the transaction of the change it carries;
the dispatcher in :mod:`hub.sync.outbox` does the delivering.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from hub.domain.access import Viewer
from hub.domain.changes import OutboundChange, to_payload
from hub.store.keyset import KeysetPage, PageRequest, keyset_page
from hub.store.models import Complaint
from hub.store.outbox_models import OutboxRow, OutboxStatus, OutboxTarget
from hub.store.scope import regions_clause

BLOCKING = (OutboxStatus.PENDING, OutboxStatus.DEAD)  # an undelivered earlier row for the same target holds later ones back


@dataclass(frozen=True, slots=True)
class PushTarget:
    """Where a region's changes go: its source system, and whether its app takes writes."""

    region_code: str
    source_system: str
    accepts_writes: bool


def enqueue(
    session: AsyncSession, complaint: Complaint, target: PushTarget, change: OutboundChange, *, now: datetime
) -> OutboxRow:
    """Add a row carrying ``change`` for ``target``; a region that takes no writes gets manual work instead."""
    row = OutboxRow(
        complaint_id=complaint.id,
        region_code=target.region_code,
        source_system=target.source_system,
        kind=change.kind.value,
        payload=to_payload(change),
        idempotency_key=f"{complaint.tracking_id}:{change.kind.value}:{uuid.uuid4().hex}",
        status=OutboxStatus.PENDING if target.accepts_writes else OutboxStatus.MANUAL,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    return row


def enqueue_notification(
    session: AsyncSession, *, complaint_id: int, region_code: str, target: OutboxTarget, source_system: str,
    kind: str, payload: dict[str, Any], tracking_id: str, now: datetime, subscription_id: int | None = None,
) -> OutboxRow:
    """Add a row carrying a message for a notification channel (``source_system`` names the channel)."""
    row = OutboxRow(
        complaint_id=complaint_id, region_code=region_code, source_system=source_system, kind=kind, payload=payload,
        idempotency_key=f"{tracking_id}:{target.value.lower()}:{uuid.uuid4().hex}", status=OutboxStatus.PENDING,
        attempts=0, next_attempt_at=now, created_at=now, target=target, subscription_id=subscription_id,
    )
    session.add(row)
    return row


def deliverable(now: datetime, *, source_system: str | None = None) -> Select[OutboxRow]:
    """PENDING rows due now with no earlier undelivered row of the same complaint and target, in id order.

    The order holds per complaint *and* target (``source_system``), so a webhook
    that is down never holds back a push to the region, nor the reporter's e-mail.
    """
    earlier = aliased(OutboxRow)
    blocked = exists().where(
        and_(earlier.complaint_id == OutboxRow.complaint_id, earlier.source_system == OutboxRow.source_system,
             earlier.id < OutboxRow.id, earlier.status.in_(BLOCKING))
    )
    query = select(OutboxRow).where(
        OutboxRow.status == OutboxStatus.PENDING, OutboxRow.next_attempt_at <= now, ~blocked
    )
    if source_system is not None:
        query = query.where(OutboxRow.source_system == source_system)
    return query.order_by(OutboxRow.id)


async def due_systems(session: AsyncSession, now: datetime) -> list[str]:
    rows = await session.execute(deliverable(now).with_only_columns(OutboxRow.source_system).order_by(None))
    return sorted({system for (system,) in rows})


async def list_outbox(
    session: AsyncSession,
    viewer: Viewer,
    *,
    region_code: str | None = None,
    statuses: Sequence[OutboxStatus] = (),
    page: PageRequest,
    target: OutboxTarget = OutboxTarget.REGION,
) -> KeysetPage[OutboxRow]:
    """Rows for ``target`` (pushes to regions by default) of the regions ``viewer`` administers, newest first."""
    query = select(OutboxRow).where(regions_clause(viewer, OutboxRow.region_code), OutboxRow.target == target)
    if region_code is not None:
        query = query.where(OutboxRow.region_code == region_code)
    if statuses:
        query = query.where(OutboxRow.status.in_(list(statuses)))
    return await keyset_page(session, query, (OutboxRow.id,), order="outbox", page=page)
