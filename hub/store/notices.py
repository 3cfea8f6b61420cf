"""Recording what people must be told, and reading it back for the fan-out.

:func:`record_notice` is the one call a change makes to be told about: inside
the change's own transaction it adds a :class:`~hub.store.notify_models.NoticeRow`
with the complaint's scope facts as they are now. The dispatcher's fan-out
(:mod:`hub.sync.notify`) turns each into outbox rows once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.access import ComplaintFacts
from hub.domain.notices import Notice, notice_of_status, notice_payload
from hub.domain.vocabulary import Status
from hub.store.models import Complaint
from hub.store.notify_models import NoticeRow, WebhookSubscription


def record_notice(session: AsyncSession, complaint: Complaint, notice: Notice, *, now: datetime) -> NoticeRow:
    """Remember to tell the reporter and the subscribers about ``notice``; call it inside the change's transaction."""
    row = NoticeRow(complaint_id=complaint.id, kind=notice.kind.value, payload=notice_payload(notice),
                    region_code=complaint.region_code, privacy=complaint.privacy, agency_id=complaint.agency_id,
                    reporter_id=complaint.reporter_id, created_at=now, fanned_out_at=None)
    session.add(row)
    return row


def facts_of_notice(row: NoticeRow) -> ComplaintFacts:
    return ComplaintFacts(region_code=row.region_code, privacy=row.privacy, agency_id=row.agency_id,
                          reporter_id=row.reporter_id, id=row.complaint_id)


async def waiting_notices(session: AsyncSession, *, limit: int) -> Sequence[NoticeRow]:
    """Notices not yet fanned out, oldest first; on PostgreSQL locked so one process takes each."""
    query = select(NoticeRow).where(NoticeRow.fanned_out_at.is_(None)).order_by(NoticeRow.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return (await session.scalars(query)).all()


async def active_subscriptions(session: AsyncSession) -> Sequence[WebhookSubscription]:
    return (await session.scalars(
        select(WebhookSubscription).where(WebhookSubscription.active.is_(True)).order_by(WebhookSubscription.id)
    )).all()


def record_status_notice(session: AsyncSession, complaint: Complaint, *, previous: Status, source_system: str,
                         occurred_at: datetime, text: str | None, answer_days: int | None,
                         now: datetime) -> NoticeRow:
    """Remember to tell about a status a region reported (``complaint`` already carries it and its due dates)."""
    notice = notice_of_status(previous=previous, status=complaint.status, tracking_id=complaint.tracking_id,
                              occurred_at=occurred_at, region_code=complaint.region_code, source_system=source_system,
                              text=text, answer_due=complaint.answer_due, answer_days=answer_days)
    return record_notice(session, complaint, notice, now=now)
