"""``node(id:)``: one object of any Node type, by its key, or None when the caller may not see it.

Each reader applies the rule of the list the object appears in, so a global id
shows nothing its list would not: agencies are public reference data;
attachments go with their complaint (the scoped complaint loader); sync runs,
rejected records and outbox rows with the admin's regions
(:func:`hub.store.scope.regions_clause`; notification rows national admins
only); webhook subscriptions and their deliveries with their managers;
duplicate flags with who may merge the two complaints; access-log entries
with national admins. A refusal is a null, never an error: a node the caller
may not see looks like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hub.domain.actions import may_merge
from hub.domain.vocabulary import EventKind, Role
from hub.resolvers.context import Context
from hub.resolvers.mutations import facts_of
from hub.resolvers.sync import RejectionView, shown
from hub.store import nodes
from hub.store.duplicate_flags import FlagRow
from hub.store.models import Agency, Attachment, Complaint
from hub.store.notify_models import OutboxAttempt, WebhookSubscription
from hub.store.outbox_models import OutboxRow, OutboxTarget
from hub.store.privacy_models import AccessLogEntry
from hub.store.sync_models import DuplicateFlag, SyncRun
from hub.store.webhooks import attempts_of, manages

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

ADMINS = (Role.NATIONAL_ADMIN, Role.REGION_ADMIN)


async def agency(ctx: Context, key: int) -> Agency | None:
    return await ctx.loaders.agency.load(key)


async def attachment(ctx: Context, key: int) -> tuple[Attachment, EventKind | None] | None:
    row = await ctx.read(nodes.row_by_key, Attachment, key)
    if row is None or await ctx.loaders.complaint.load(row.complaint_id) is None:
        return None
    listed = await ctx.loaders.attachments.load(row.complaint_id)
    return next((item for item in listed if item[0].id == key), None)


async def sync_run(ctx: Context, key: int) -> SyncRun | None:
    if ctx.viewer.role not in ADMINS:
        return None
    return await ctx.read(nodes.run_by_key, ctx.viewer, key)


async def rejected_record(ctx: Context, key: int) -> RejectionView | None:
    if ctx.viewer.role not in ADMINS:
        return None
    row = await ctx.read(nodes.rejection_by_key, ctx.viewer, key)
    return shown(ctx, row) if row is not None else None


async def outbox_item(ctx: Context, key: int) -> OutboxRow | None:
    if ctx.viewer.role not in ADMINS:
        return None
    row = await ctx.read(nodes.outbox_row_by_key, ctx.viewer, key)
    if row is not None and row.target is not OutboxTarget.REGION and ctx.viewer.role is not Role.NATIONAL_ADMIN:
        return None  # messages to reporters carry their addresses: national admins only, as in `outbox`
    return row


async def webhook_subscription(ctx: Context, key: int) -> WebhookSubscription | None:
    async def read(session: AsyncSession) -> WebhookSubscription | None:
        row = await nodes.row_by_key(session, WebhookSubscription, key)
        return row if row is not None and await manages(session, ctx.viewer, row) else None

    return await ctx.read(read)


@dataclass(frozen=True)
class Delivery:
    row: OutboxRow
    attempts: list[OutboxAttempt]


async def webhook_delivery(ctx: Context, key: int) -> Delivery | None:
    async def read(session: AsyncSession) -> Delivery | None:
        row = await nodes.row_by_key(session, OutboxRow, key)
        if row is None or row.target is not OutboxTarget.WEBHOOK or row.subscription_id is None:
            return None
        subscription = await nodes.row_by_key(session, WebhookSubscription, row.subscription_id)
        if subscription is None or not await manages(session, ctx.viewer, subscription):
            return None
        attempts = await attempts_of(session, [row.id])
        return Delivery(row, attempts.get(row.id, []))

    return await ctx.read(read)


async def duplicate_flag(ctx: Context, key: int) -> FlagRow | None:
    async def read(session: AsyncSession) -> FlagRow | None:
        flag = await nodes.row_by_key(session, DuplicateFlag, key)
        later = await nodes.row_by_key(session, Complaint, flag.complaint_id) if flag is not None else None
        earlier = await nodes.row_by_key(session, Complaint, flag.duplicate_of_id) if flag is not None else None
        if flag is None or later is None or earlier is None \
                or not may_merge(ctx.viewer, facts_of(later), facts_of(earlier)):
            return None
        return FlagRow(flag, later, earlier)

    return await ctx.read(read)


async def access_log_entry(ctx: Context, key: int) -> AccessLogEntry | None:
    if ctx.viewer.role is not Role.NATIONAL_ADMIN:
        return None
    return await ctx.read(nodes.row_by_key, AccessLogEntry, key)
