"""``node(id:)`` for every Node type: decode the global id once, read through the type's scoped reader.

Each entry maps a type name to a reader in :mod:`hub.resolvers.nodes` (or the
complaint and region readers) and the schema type built from what it read. A
node the caller may not see is null, like one that does not exist; an id that
names no Node type is a ``BAD_USER_INPUT`` error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry import relay

from hub.domain import global_ids
from hub.domain.bounds import row_key
from hub.resolvers import nodes
from hub.resolvers.errors import BadInput
from hub.schema.duplicate_fields import DuplicateFlag
from hub.schema.types.access_log import AccessLogEntry
from hub.schema.types.attachment import attachment_of
from hub.schema.types.region import Agency, Region
from hub.schema.types.results import OutboxItem
from hub.schema.types.sync import RejectedRecord, SyncRun
from hub.schema.types.webhooks import WebhookDelivery, WebhookSubscription

Reader = Callable[[strawberry.Info, int], Awaitable[Any]]


def _keyed(read: Callable[[Any, int], Awaitable[Any]], build: Callable[[Any], Any]) -> Reader:
    async def node(info: strawberry.Info, key: int) -> Any:
        found = await read(info.context, key)
        return build(found) if found is not None else None

    return node


async def _attachment(info: strawberry.Info, key: int) -> Any:
    found = await nodes.attachment(info.context, key)
    return attachment_of(info, *found) if found is not None else None


READERS: dict[str, Reader] = {
    "Agency": _keyed(nodes.agency, Agency.of),
    "Attachment": _attachment,
    "SyncRun": _keyed(nodes.sync_run, SyncRun.of),
    "RejectedRecord": _keyed(nodes.rejected_record, RejectedRecord.of),
    "OutboxItem": _keyed(nodes.outbox_item, OutboxItem.of),
    "WebhookSubscription": _keyed(nodes.webhook_subscription, WebhookSubscription.of),
    "WebhookDelivery": _keyed(nodes.webhook_delivery, lambda found: WebhookDelivery.of(found.row, found.attempts)),
    "DuplicateFlag": _keyed(nodes.duplicate_flag, DuplicateFlag.of),
    "AccessLogEntry": _keyed(nodes.access_log_entry, AccessLogEntry.of),
}
NODE_TYPES = ("Complaint", "Region", *READERS)


async def node_of(info: strawberry.Info, given: str,
                  complaint: Callable[[strawberry.Info, int], Awaitable[Any]]) -> relay.Node | None:
    """The object ``given`` names, if the caller may see it; ``complaint`` reads a complaint by key."""
    parsed = global_ids.parse(given)
    if parsed is None:
        raise BadInput("`id` is not a global id", field="id")
    type_name, key_text = parsed
    if type_name == "Region":
        (found,) = await Region.resolve_nodes(info=info, node_ids=[key_text])
        return found
    if type_name != "Complaint" and type_name not in READERS:
        raise BadInput(f"id names a {type_name}, which is not a node type here", field="id")
    key = row_key(key_text)
    if key is None:
        raise BadInput(f"node id does not name a {type_name}", field="id")
    if type_name == "Complaint":
        return await complaint(info, key)
    return await READERS[type_name](info, key)
