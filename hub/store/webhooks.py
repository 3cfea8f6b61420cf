"""Webhook subscriptions and their deliveries, as their managers list them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.access import Viewer
from hub.domain.webhook_events import SubscriberScope, may_manage
from hub.store.keyset import KeysetPage, PageRequest, keyset_page
from hub.store.models import Agency
from hub.store.notify_models import OutboxAttempt, WebhookSubscription
from hub.store.outbox_models import OutboxRow, OutboxStatus, OutboxTarget


def scope_of(subscription: WebhookSubscription) -> SubscriberScope:
    return SubscriberScope(kind=subscription.scope_kind, region_code=subscription.scope_region_code,
                           agency_id=subscription.scope_agency_id)


async def agency_region(session: AsyncSession, agency_id: int | None) -> str | None:
    if agency_id is None:
        return None
    return await session.scalar(select(Agency.region_code).where(Agency.id == agency_id))


async def manages(session: AsyncSession, viewer: Viewer, subscription: WebhookSubscription) -> bool:
    return may_manage(viewer, scope_of(subscription),
                      agency_region_code=await agency_region(session, subscription.scope_agency_id))


async def managed_subscriptions(session: AsyncSession, viewer: Viewer) -> list[WebhookSubscription]:
    """The subscriptions ``viewer`` manages, oldest first (there are few: filtered by the rule in memory)."""
    rows = await session.execute(
        select(WebhookSubscription, Agency.region_code)
        .outerjoin(Agency, Agency.id == WebhookSubscription.scope_agency_id)
        .order_by(WebhookSubscription.id)
    )
    return [subscription for subscription, region in rows
            if may_manage(viewer, scope_of(subscription), agency_region_code=region)]


async def deliveries_of(session: AsyncSession, subscription_id: int, *, statuses: Sequence[OutboxStatus] = (),
                        page: PageRequest) -> KeysetPage[OutboxRow]:
    """A page of a subscription's deliveries, newest first."""
    query = select(OutboxRow).where(OutboxRow.target == OutboxTarget.WEBHOOK,
                                    OutboxRow.subscription_id == subscription_id)
    if statuses:
        query = query.where(OutboxRow.status.in_(list(statuses)))
    return await keyset_page(session, query, (OutboxRow.id,), order="webhook-deliveries", page=page)


async def attempts_of(session: AsyncSession, row_ids: Sequence[int]) -> dict[int, list[OutboxAttempt]]:
    found: dict[int, list[OutboxAttempt]] = defaultdict(list)
    if row_ids:
        for attempt in await session.scalars(select(OutboxAttempt).where(OutboxAttempt.outbox_id.in_(list(row_ids)))
                                             .order_by(OutboxAttempt.outbox_id, OutboxAttempt.id)):
            found[attempt.outbox_id].append(attempt)
    return found
