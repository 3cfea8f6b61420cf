"""Webhook subscriptions in the schema: managed by the admins of their scope, listed with deliveries."""

from __future__ import annotations

import strawberry

from hub.resolvers import webhooks as w
from hub.resolvers.failures import MutationFailure
from hub.schema.types.results import error_outside_lifecycle
from hub.schema.types.webhooks import (
    WebhookDelivery,
    WebhookDeliveryPayload,
    WebhookDeliveryResult,
    WebhookEventKind,
    WebhookSecretPayload,
    WebhookSecretResult,
    WebhookSubscription,
    WebhookSubscriptionPayload,
    WebhookSubscriptionResult,
)


@strawberry.input(description="Where to send events, which kinds, and the scope: a region, an agency, or national")
class CreateWebhookSubscriptionInput:
    name: str = strawberry.field(description="A name to know the subscription by")
    url: str = strawberry.field(description="The http(s) address events are POSTed to")
    event_kinds: list[WebhookEventKind] = strawberry.field(description="The kinds of event to send")
    region_code: str | None = strawberry.field(default=None, description="A province, regency or city code")
    agency_id: strawberry.ID | None = strawberry.field(
        default=None, description="The global id of an agency whose complaints to hear (instansi / OPD); leave both "
                                  "this and regionCode out for national scope")


@strawberry.type
class WebhookQuery:
    @strawberry.field(description="The webhook subscriptions you manage (national and region admins)")
    async def webhook_subscriptions(self, info: strawberry.Info) -> list[WebhookSubscription]:
        return [WebhookSubscription.of(row) for row in await w.listed(info.context)]


@strawberry.type
class WebhookMutation:
    @strawberry.mutation(description="Subscribe a system to complaint events in a scope; the secret is shown once")
    async def create_webhook_subscription(self, info: strawberry.Info,
                                          input: CreateWebhookSubscriptionInput) -> WebhookSecretResult:
        try:
            created = await w.create(info.context, name=input.name, url=input.url, event_kinds=input.event_kinds,
                                     region_code=input.region_code, agency_ref=input.agency_id)
        except MutationFailure as failure:
            return error_outside_lifecycle(failure)
        return WebhookSecretPayload(subscription=WebhookSubscription.of(created.subscription), secret=created.secret)

    @strawberry.mutation(description="Change a subscription's address or kinds, or pause it (active: false)")
    async def update_webhook_subscription(self, info: strawberry.Info, id: strawberry.ID, url: str | None = None,
                                          event_kinds: list[WebhookEventKind] | None = None,
                                          active: bool | None = None) -> WebhookSubscriptionResult:
        try:
            row = await w.update(info.context, id, url=url, event_kinds=event_kinds, active=active)
        except MutationFailure as failure:
            return error_outside_lifecycle(failure)
        return WebhookSubscriptionPayload(subscription=WebhookSubscription.of(row))

    @strawberry.mutation(description="Replace a subscription's signing secret; the new one is shown once")
    async def rotate_webhook_secret(self, info: strawberry.Info, id: strawberry.ID) -> WebhookSecretResult:
        try:
            created = await w.rotate_secret(info.context, id)
        except MutationFailure as failure:
            return error_outside_lifecycle(failure)
        return WebhookSecretPayload(subscription=WebhookSubscription.of(created.subscription), secret=created.secret)

    @strawberry.mutation(description="Send a dead delivery again")
    async def retry_webhook_delivery(self, info: strawberry.Info, id: strawberry.ID) -> WebhookDeliveryResult:
        try:
            row = await w.retry_delivery(info.context, id)
        except MutationFailure as failure:
            return error_outside_lifecycle(failure)
        return WebhookDeliveryPayload(delivery=WebhookDelivery.of(row, []))
