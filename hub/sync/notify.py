"""Telling people: the fan-out of notices into outbox rows, and the channels that deliver them.

The dispatcher (:mod:`hub.sync.outbox`) calls :meth:`Notifier.fan_out` before
each round. In one transaction it takes the notices not yet fanned out, in id
order, and for each writes:

- an e-mail and an SMS to the reporter, for the kinds a reporter is told of
  (:data:`hub.domain.notices.TOLD_TO_REPORTER`), when they gave an address or
  a phone and the channel is configured; the words are fixed now;
- a delivery to every active webhook subscription that asks for the kind and
  whose scope may see the complaint, with the reporter named only where
  that scope may know them (:mod:`hub.domain.webhook_events`); the
  Ombudsman's subscription (``HUB_ESCALATION_OMBUDSMAN_WEBHOOK_ID``) hears of
  every escalation to the national level, whatever kinds it asked for;

then marks the notice fanned out. The rows it writes are delivered like
pushes to a region: retried with backoff, idempotency key, DEAD and
``retryPush``, in order per complaint and target.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.connectors.base import PushResult
from hub.connectors.records import FatalError
from hub.domain.changes import ChangeFormatError
from hub.domain.messages import EmailMessage, SmsMessage, email_address, message_from_payload, message_payload, msisdn
from hub.domain.notice_texts import email, sms_text, tracking_link
from hub.domain.notices import (
    TOLD_TO_REPORTER,
    Notice,
    NoticeKind,
    TransferredNotice,
    for_the_ombudsman,
    notice_from_payload,
)
from hub.domain.webhook_events import ComplaintSnapshot, ReporterIdentity, SubscriberScope, event_body, hears
from hub.notify.email import SmtpChannel
from hub.notify.sms import SmsGateway, load_sms_gateway
from hub.notify.webhooks import WebhookChannel
from hub.settings import Settings
from hub.store.models import Complaint, Region, Reporter
from hub.store.notices import active_subscriptions, facts_of_notice, waiting_notices
from hub.store.notify_models import NoticeRow, WebhookSubscription
from hub.store.outbox_models import OutboxRow, OutboxTarget
from hub.store.outbox_writes import enqueue_notification

log = logging.getLogger("hub.sync.notify")

EMAIL, SMS, WEBHOOK_PREFIX = "email", "sms", "webhook:"

Listener = tuple[WebhookSubscription, SubscriberScope, frozenset[NoticeKind]]  # a subscription, read once per round


def webhook_system(subscription_id: int) -> str:
    return f"{WEBHOOK_PREFIX}{subscription_id}"


def subscriber_scope(subscription: WebhookSubscription) -> SubscriberScope:
    return SubscriberScope(kind=subscription.scope_kind, region_code=subscription.scope_region_code,
                           agency_id=subscription.scope_agency_id)


@dataclass
class FanOutReport:
    notices: int = 0
    emails: int = 0
    sms: int = 0
    webhooks: int = 0


class Notifier:
    """The channels configured in the settings, and the fan-out that feeds them."""

    def __init__(self, settings: Settings, *, client: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self._owns_client = client is None
        self.client = client or httpx.AsyncClient()
        self.email = SmtpChannel(settings) if settings.smtp_host else None
        self.sms: SmsGateway | None = (load_sms_gateway(settings.sms_gateway, settings, self.client)
                                       if settings.sms_url or settings.sms_gateway != "http" else None)
        self.webhooks = WebhookChannel(self.client, timeout=settings.webhook_timeout_seconds)

    async def close(self) -> None:
        if self._owns_client:
            await self.client.aclose()

    def handles(self, system: str) -> bool:
        return (system == EMAIL and self.email is not None) or (system == SMS and self.sms is not None) \
            or system.startswith(WEBHOOK_PREFIX)

    # -- fan-out ------------------------------------------------------------------------------

    async def fan_out(self, sessions: async_sessionmaker[AsyncSession], *, now: datetime,
                      batch: int = 500) -> FanOutReport:
        report = FanOutReport()
        async with sessions() as session, session.begin():
            notices = await waiting_notices(session, limit=batch)
            if not notices:
                return report
            complaints = {c.id: c for c in await session.scalars(
                select(Complaint).where(Complaint.id.in_({n.complaint_id for n in notices})))}
            reporter_ids = {n.reporter_id for n in notices if n.reporter_id is not None}
            reporters = {r.id: r for r in await session.scalars(
                select(Reporter).where(Reporter.id.in_(reporter_ids)))} if reporter_ids else {}
            subscriptions: list[Listener] = []
            for subscription in await active_subscriptions(session):
                try:
                    kinds = frozenset(NoticeKind(kind) for kind in subscription.event_kinds)
                    subscriptions.append((subscription, subscriber_scope(subscription), kinds))
                except (ValueError, TypeError) as exc:  # one broken row must not silence the others
                    log.error("webhook subscription %s is skipped: %s", subscription.id, exc)
            for row in notices:
                row.fanned_out_at = now
                complaint = complaints.get(row.complaint_id)
                try:
                    notice = notice_from_payload(row.kind, row.payload)
                except ChangeFormatError as exc:
                    log.error("notice %s cannot be read and is skipped: %s", row.id, exc)
                    continue
                if complaint is None:
                    continue
                try:
                    await self._one(session, row, notice, complaint, reporters, subscriptions, report, now=now)
                except Exception:  # one notice that cannot be told must not hold back the others
                    log.exception("notice %s could not be fanned out and is skipped", row.id)
        return report

    async def _one(self, session: AsyncSession, row: NoticeRow, notice: Notice, complaint: Complaint,
                   reporters: dict[int, Reporter], subscriptions: list[Listener], report: FanOutReport, *,
                   now: datetime) -> None:
        """The rows one notice becomes: the reporter's messages, and a delivery per subscriber who may hear it."""
        report.notices += 1
        reporter = reporters.get(row.reporter_id) if row.reporter_id is not None else None
        if reporter is not None and notice.kind in TOLD_TO_REPORTER:
            await self._tell_reporter(session, complaint, reporter, notice, report, now=now)
        facts = facts_of_notice(row)
        snapshot = ComplaintSnapshot(
            tracking_id=complaint.tracking_id, title=complaint.title, type=complaint.type.value,
            privacy=row.privacy.value, channel=complaint.channel.value, status=notice.status.value,
            region_code=row.region_code, category_code=complaint.category_code, agency_id=row.agency_id)
        identity = ReporterIdentity(name=reporter.name, phone=reporter.phone, email=reporter.email) \
            if reporter is not None else None
        ombudsman = self.settings.escalation_ombudsman_webhook_id if for_the_ombudsman(notice) else None
        for subscription, scope, kinds in subscriptions:
            if subscription.id == ombudsman:
                kinds = kinds | {notice.kind}
            if not hears(scope, kinds, notice, facts):
                continue
            enqueue_notification(
                session, complaint_id=complaint.id, region_code=row.region_code, target=OutboxTarget.WEBHOOK,
                source_system=webhook_system(subscription.id), kind=notice.kind.value,
                payload=event_body(scope, notice, facts, snapshot, identity),
                tracking_id=complaint.tracking_id, now=now, subscription_id=subscription.id)
            report.webhooks += 1

    async def _tell_reporter(self, session: AsyncSession, complaint: Complaint, reporter: Reporter, notice: Notice,
                             report: FanOutReport, *, now: datetime) -> None:
        link = tracking_link(self.settings.public_url, self.settings.tracking_path, complaint.tracking_id)
        to_region = None
        if isinstance(notice, TransferredNotice):
            region = await session.get(Region, notice.to_region_code)
            to_region = region.name if region else None
        address, phone = email_address(reporter.email), msisdn(reporter.phone)
        if self.email is not None and address:
            words = email(notice, link=link, reporter_name=reporter.name, to_region_name=to_region)
            message: EmailMessage | SmsMessage = EmailMessage(to=address, subject=words.subject, body=words.body,
                                                              tracking_id=complaint.tracking_id)
            enqueue_notification(session, complaint_id=complaint.id, region_code=complaint.region_code,
                                 target=OutboxTarget.EMAIL, source_system=EMAIL, kind=notice.kind.value,
                                 payload=message_payload(message), tracking_id=complaint.tracking_id, now=now)
            report.emails += 1
        if self.sms is not None and phone:
            message = SmsMessage(to=phone, text=sms_text(notice, link=link, to_region_name=to_region),
                                 tracking_id=complaint.tracking_id)
            enqueue_notification(session, complaint_id=complaint.id, region_code=complaint.region_code,
                                 target=OutboxTarget.SMS, source_system=SMS, kind=notice.kind.value,
                                 payload=message_payload(message), tracking_id=complaint.tracking_id, now=now)
            report.sms += 1

    # -- delivering ---------------------------------------------------------------------------

    async def deliver(self, sessions: async_sessionmaker[AsyncSession], row: OutboxRow) -> PushResult:
        """Send one notification row through its channel; raises as a connector's push does."""
        if row.target is OutboxTarget.EMAIL and self.email is not None:
            message = message_from_payload(EmailMessage, row.payload)
            assert isinstance(message, EmailMessage)
            return PushResult(source_id=None, detail=await self.email.send(message, message_id=row.idempotency_key))
        if row.target is OutboxTarget.SMS and self.sms is not None:
            text = message_from_payload(SmsMessage, row.payload)
            assert isinstance(text, SmsMessage)
            return PushResult(source_id=None, detail=await self.sms.send(text, message_id=row.idempotency_key))
        if row.target is OutboxTarget.WEBHOOK and row.subscription_id is not None:
            async with sessions() as session:
                subscription = await session.get(WebhookSubscription, row.subscription_id)
            if subscription is None or not subscription.active:
                raise FatalError(f"webhook subscription {row.subscription_id} is no longer active")
            detail = await self.webhooks.send(url=subscription.url, secret=subscription.secret,
                                              message_id=row.idempotency_key, body=row.payload)
            return PushResult(source_id=None, detail=detail)
        raise FatalError(f"no channel delivers {row.target.value} rows here")
