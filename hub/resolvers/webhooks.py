"""Managing webhook subscriptions, and watching and retrying their deliveries.

Who may manage a scope is :func:`hub.domain.webhook_events.may_manage`: a
national admin every scope, a region admin their regions and their regions'
agencies. A new subscription's secret is shown once, when it is created or
rotated; the hub keeps it to sign deliveries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from hub.domain.notices import NoticeKind
from hub.domain.webhook_events import ScopeError, ScopeKind, SubscriberScope, may_manage
from hub.notify.signing import new_secret
from hub.resolvers.context import Context
from hub.resolvers.failures import Invalid, Missing, Refused, key_of
from hub.resolvers.mutations import actor_of, after_commit
from hub.resolvers.paging import read_page
from hub.store.keyset import KeysetPage, PageRequest
from hub.store.models import Agency
from hub.store.notify_models import OutboxAttempt, WebhookSubscription
from hub.store.outbox_models import OutboxRow, OutboxStatus, OutboxTarget
from hub.store.types import utcnow
from hub.store.webhooks import agency_region, attempts_of, deliveries_of, managed_subscriptions, manages

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

MANAGERS = ("a national admin", "an admin of the scope's region")


@dataclass(frozen=True, slots=True)
class Created:
    subscription: WebhookSubscription
    secret: str  # shown once


def _url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid("`url` must be an http(s) address such as https://example.go.id/lapor/webhook", "url")
    if len(url) > 1000:
        raise Invalid("`url` is longer than 1000 characters", "url")
    return url


def _kinds(kinds: Sequence[NoticeKind]) -> list[str]:
    if not kinds:
        raise Invalid("name at least one event kind, e.g. VERIFIED", "eventKinds")
    return sorted({NoticeKind(kind).value for kind in kinds})


async def create(ctx: Context, *, name: str, url: str, event_kinds: Sequence[NoticeKind], region_code: str | None,
                 agency_ref: str | None) -> Created:
    agency_id = key_of(agency_ref, "Agency", "agencyId") if agency_ref is not None else None
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise Invalid("`name` must be 1 to 200 characters, e.g. the receiving system's name", "name")
    try:
        if region_code and agency_id is not None:
            raise ScopeError("give a region code or an agency id, not both")
        kind = ScopeKind.AGENCY if agency_id is not None else ScopeKind.REGION if region_code else ScopeKind.NATIONAL
        scope = SubscriberScope(kind=kind, region_code=region_code.strip() if region_code else None,
                                agency_id=agency_id)
    except ScopeError as exc:
        raise Invalid(str(exc), "regionCode" if region_code else "agencyId") from None
    checked_url, kinds = _url(url), _kinds(event_kinds)
    secret = new_secret()
    async with ctx.write() as session:
        if agency_id is not None and await session.get(Agency, agency_id) is None:
            raise Invalid(f"no agency {agency_id}", "agencyId")
        if not may_manage(ctx.viewer, scope, agency_region_code=await agency_region(session, agency_id)):
            raise Refused(f"you ({ctx.viewer.role.value}) may not subscribe to {scope.kind.value.lower()} "
                          f"{scope.region_code or scope.agency_id or ''}".rstrip() + f"; only {' or '.join(MANAGERS)} may",
                          MANAGERS)
        now = utcnow()
        subscription = WebhookSubscription(
            name=name, url=checked_url, secret=secret, event_kinds=kinds, scope_kind=scope.kind,
            scope_region_code=scope.region_code, scope_agency_id=scope.agency_id, active=True,
            created_by=actor_of(ctx).name, created_at=now, updated_at=now)
        session.add(subscription)
        await session.flush()
    return Created(subscription=subscription, secret=secret)


async def _managed(ctx: Context, session: AsyncSession, subscription_id: int) -> WebhookSubscription:
    subscription = await session.get(WebhookSubscription, subscription_id)
    if subscription is None or not await manages(session, ctx.viewer, subscription):
        raise Missing(f"no webhook subscription {subscription_id} that you manage")
    return subscription


async def update(ctx: Context, ref: str, *, url: str | None = None,
                 event_kinds: Sequence[NoticeKind] | None = None, active: bool | None = None) -> WebhookSubscription:
    async with ctx.write() as session:
        subscription = await _managed(ctx, session, key_of(ref, "WebhookSubscription"))
        if url is not None:
            subscription.url = _url(url)
        if event_kinds is not None:
            subscription.event_kinds = _kinds(event_kinds)
        if active is not None:
            subscription.active = active
        subscription.updated_at = utcnow()
    return subscription


async def rotate_secret(ctx: Context, ref: str) -> Created:
    """A new secret; deliveries still waiting are signed with it from now on."""
    async with ctx.write() as session:
        subscription = await _managed(ctx, session, key_of(ref, "WebhookSubscription"))
        subscription.secret, subscription.updated_at = new_secret(), utcnow()
    return Created(subscription=subscription, secret=subscription.secret)


async def retry_delivery(ctx: Context, ref: str) -> OutboxRow:
    """Send a dead delivery again (its subscription's managers)."""
    row_id = key_of(ref, "WebhookDelivery")
    async with ctx.write() as session:
        row = await session.get(OutboxRow, row_id)
        if row is None or row.target is not OutboxTarget.WEBHOOK or row.subscription_id is None:
            raise Missing(f"no webhook delivery {row_id}")
        await _managed(ctx, session, row.subscription_id)
        if row.status is not OutboxStatus.DEAD:
            raise Invalid(f"only a dead delivery can be retried; delivery {row_id} is {row.status.value}", "id")
        row.status, row.attempts, row.next_attempt_at = OutboxStatus.PENDING, 0, utcnow()
    after_commit(ctx)
    return row


async def listed(ctx: Context) -> list[WebhookSubscription]:
    async with ctx.sessions() as session:
        return await managed_subscriptions(session, ctx.viewer)


async def deliveries(ctx: Context, subscription_id: int, *, status: OutboxStatus | None = None,
                     page: PageRequest) -> KeysetPage[tuple[OutboxRow, list[OutboxAttempt]]]:
    """A page of a subscription's deliveries, newest first, each with its attempts (the subscription is
    already one the caller manages)."""
    found = await read_page(ctx, deliveries_of, subscription_id, statuses=(status,) if status else (), page=page)
    attempts = await ctx.read(attempts_of, [row.id for row in found.rows])
    return found.shown_as(lambda row: (row, attempts.get(row.id, [])))
