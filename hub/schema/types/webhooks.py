"""Webhook subscriptions as their managers see them: scope, kinds, deliveries and every attempt."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from hub.domain import global_ids
from hub.domain.notices import NoticeKind
from hub.domain.webhook_events import ScopeKind
from hub.resolvers import webhooks as webhook_resolvers
from hub.resolvers.paging import page_request
from hub.schema.types.enums import WebhookEventKind
from hub.schema.types.pages import AFTER, BEFORE, DEFAULT_PAGE, FIRST, LAST, MAX_PAGE, Connection
from hub.schema.types.results import NotAllowedError, NotFoundError, OutboxStatus, ValidationError
from hub.store.notify_models import OutboxAttempt
from hub.store.notify_models import WebhookSubscription as SubscriptionRow
from hub.store.outbox_models import OutboxRow

WebhookScope = ScopeKind
strawberry.enum(
    WebhookScope, name="WebhookScope",
    description="Whose complaints a subscription hears: NATIONAL, a REGION's (province, regency or "
                "city) or an AGENCY's (instansi / OPD)")


@strawberry.type(description="One try at delivering an event")
class DeliveryAttempt:
    attempted_at: datetime = strawberry.field(description="When it was tried (UTC)")
    succeeded: bool = strawberry.field(description="Whether the receiver accepted the event")
    detail: str | None = strawberry.field(description="The receiver's status code, or the error")
    duration_ms: float | None = strawberry.field(
        description="How long the try took, in milliseconds; null when unknown")

    @classmethod
    def of(cls, row: OutboxAttempt) -> DeliveryAttempt:
        return cls(attempted_at=row.attempted_at, succeeded=row.succeeded, detail=row.detail,
                   duration_ms=row.duration_ms)


@strawberry.type(description="An event on its way to a subscriber, signed anew on every attempt")
class WebhookDelivery(relay.Node):
    id: relay.NodeID[int]
    message_id: str = strawberry.field(description="The webhook-id header: the same on every attempt")
    type: str = strawberry.field(description="The event's kind as sent, e.g. complaint.verified",
                                 deprecation_reason="Use `eventKind`")
    event_kind: WebhookEventKind = strawberry.field(description="The event's kind, e.g. VERIFIED")
    tracking_id: str = strawberry.field(description="The national tracking id of the complaint it is about")
    status: OutboxStatus = strawberry.field(description="Waiting (PENDING), delivered, or given up (DEAD)")
    attempts: int = strawberry.field(description="Tries made so far")
    next_attempt_at: datetime = strawberry.field(description="When the next try is due (UTC)")
    last_error: str | None = strawberry.field(description="The latest failed try's error; null when none failed")
    created_at: datetime = strawberry.field(description="When the event was queued (UTC)")
    delivered_at: datetime | None = strawberry.field(description="When the receiver accepted it (UTC); null until then")
    body: strawberry.scalars.JSON = strawberry.field(description="The event as sent, the same on every try")
    attempt_log: list[DeliveryAttempt] = strawberry.field(description="Every try, oldest first")

    @classmethod
    def of(cls, row: OutboxRow, attempts: list[OutboxAttempt]) -> WebhookDelivery:
        data = (row.payload or {}).get("data") or {}
        return cls(id=row.id, message_id=row.idempotency_key, type=row.kind, event_kind=NoticeKind(row.kind), tracking_id=str(data.get("trackingId", "")),
                   status=row.status, attempts=row.attempts, next_attempt_at=row.next_attempt_at,
                   last_error=row.last_error, created_at=row.created_at, delivered_at=row.delivered_at,
                   body=strawberry.scalars.JSON(row.payload), attempt_log=[DeliveryAttempt.of(a) for a in attempts])


@strawberry.type(description="A system that hears of complaints in its scope (national, a region, or an agency)")
class WebhookSubscription(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="A name to know it by")
    url: str = strawberry.field(description="Where events are POSTed")
    event_kinds: list[WebhookEventKind] = strawberry.field(description="The kinds of event it hears")
    scope: WebhookScope = strawberry.field(description="Whose complaints it hears: national, a region's or an agency's")
    region_code: str | None = strawberry.field(
        description="The region it hears (with its regencies and cities for a province); null unless REGION")
    agency_id: strawberry.ID | None = strawberry.field(
        description="The global id of the agency it hears; null unless AGENCY")
    active: bool = strawberry.field(description="Whether events are sent to it")
    created_by: str = strawberry.field(description="Who created it (the token's subject)")
    created_at: datetime = strawberry.field(description="When it was created (UTC)")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC)")

    @classmethod
    def of(cls, row: SubscriptionRow) -> WebhookSubscription:
        return cls(id=row.id, name=row.name, url=row.url, event_kinds=[NoticeKind(k) for k in row.event_kinds],
                   scope=row.scope_kind, region_code=row.scope_region_code,
                   agency_id=strawberry.ID(global_ids.encode("Agency", row.scope_agency_id))
                   if row.scope_agency_id is not None else None,
                   active=row.active, created_by=row.created_by, created_at=row.created_at, updated_at=row.updated_at)

    @strawberry.field(description="Its deliveries, newest first, each with its attempts")
    async def deliveries(self, info: strawberry.Info, status: OutboxStatus | None = None,
                         first: Annotated[int | None, FIRST] = None, after: Annotated[str | None, AFTER] = None,
                         last: Annotated[int | None, LAST] = None,
                         before: Annotated[str | None, BEFORE] = None) -> Connection[WebhookDelivery]:
        page = page_request(first=first, after=after, last=last, before=before, default=DEFAULT_PAGE, cap=MAX_PAGE)
        found = await webhook_resolvers.deliveries(info.context, self.id, status=status, page=page)
        return Connection.of(found, lambda item: WebhookDelivery.of(*item))


@strawberry.type(description="A webhook subscription a mutation changed")
class WebhookSubscriptionPayload:
    subscription: WebhookSubscription = strawberry.field(description="The subscription as it now stands")


@strawberry.type(description="A subscription with its signing secret, shown this once")
class WebhookSecretPayload:
    subscription: WebhookSubscription = strawberry.field(description="The subscription as it now stands")
    secret: str = strawberry.field(description="whsec_...: verify each delivery's webhook-signature with it")


@strawberry.type(description="A webhook delivery a mutation changed")
class WebhookDeliveryPayload:
    delivery: WebhookDelivery = strawberry.field(description="The delivery as it now stands")


WebhookSecretResult = Annotated[WebhookSecretPayload | NotAllowedError | NotFoundError | ValidationError,
                                strawberry.union("WebhookSecretResult")]
WebhookSubscriptionResult = Annotated[WebhookSubscriptionPayload | NotAllowedError | NotFoundError | ValidationError,
                                      strawberry.union("WebhookSubscriptionResult")]
WebhookDeliveryResult = Annotated[WebhookDeliveryPayload | NotAllowedError | NotFoundError | ValidationError,
                                  strawberry.union("WebhookDeliveryResult")]
