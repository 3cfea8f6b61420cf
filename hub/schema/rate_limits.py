"""Rate limits on public mutations and expensive queries, per client.

Each root field of an operation may belong to a group (:data:`GROUPS`): filing
a complaint, any other mutation, expensive queries (statistics, exports). Before the operation runs, each
group it touches is charged once per root field (aliases count), under the
client's key: the token's subject when the token names someone, else the
client's address. A group over its rate refuses the whole operation with HTTP
429, a ``Retry-After`` header and a GraphQL error with code ``RATE_LIMITED``
and ``retryAfter`` (seconds); nothing of it has run.

Counters live in the ``limits`` library's storage: in memory by default (one
process), or Redis (``HUB_RATE_LIMIT_STORAGE=redis://host:6379``) so that
every hub process shares them. A storage that cannot be reached lets the
request through and logs why: a Redis outage is not a hub outage.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    get_operation_ast,
)
from limits import RateLimitItem, parse_many
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from strawberry.extensions import SchemaExtension

from hub.resolvers.errors import UserFacingError
from hub.settings import Settings

log = logging.getLogger("hub.rate_limits")

# Root fields that cost a caller part of their allowance, by group; a mutation not named is "mutation".
GROUPS: dict[str, str] = {
    "submitComplaint": "submit",
    "stats": "expensive",
    "ranking": "expensive",
    "connectorsOverview": "expensive",
    "complaintsExport": "expensive",
}


class RateLimited(UserFacingError):
    code = "RATE_LIMITED"


class RateLimits:
    """The groups' rates and the shared counters."""

    def __init__(self, settings: Settings) -> None:
        self.enabled = settings.rate_limits
        self.rates: dict[str, list[RateLimitItem]] = {
            "submit": parse_many(settings.rate_limit_submit),
            "mutation": parse_many(settings.rate_limit_mutations),
            "expensive": parse_many(settings.rate_limit_expensive),
        }
        self.prefix = settings.rate_limit_prefix
        self.storage: Storage = _storage(settings.rate_limit_storage, self.prefix)
        self.limiter = MovingWindowRateLimiter(self.storage)

    async def charge(self, client: str, hits: Counter[str]) -> tuple[str, RateLimitItem, int] | None:
        """Charge ``hits`` per group to ``client``; the group, rate and seconds to wait of the first refusal."""
        for group, cost in sorted(hits.items()):
            for rate in self.rates.get(group, ()):
                if not await self.limiter.hit(rate, group, client, cost=cost):
                    stats = await self.limiter.get_window_stats(rate, group, client)
                    return group, rate, max(1, math.ceil(stats.reset_time - time.time()))
        return None


def _storage(uri: str, prefix: str) -> Storage:
    if uri.startswith(("redis://", "rediss://")):
        found = storage_from_string(f"async+{uri}", implementation="redispy", key_prefix=prefix)
    else:
        found = storage_from_string(uri if uri.startswith("async+") else f"async+{uri}")
    if not isinstance(found, Storage):  # an async+ scheme always names an asyncio storage
        raise ValueError(f"rate-limit storage {uri!r} is not an asyncio storage")
    return found


def root_groups(document: Any, operation_name: str | None) -> Counter[str]:
    """How many root fields of the operation fall in each group (fragments at the root included)."""
    operation = get_operation_ast(document, operation_name)
    hits: Counter[str] = Counter()
    if operation is None or operation.operation.value == "subscription":
        return hits
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    mutation = operation.operation.value == "mutation"
    for name in _root_fields(operation, fragments, set()):
        group = GROUPS.get(name) or ("mutation" if mutation and not name.startswith("__") else None)
        if group is not None:
            hits[group] += 1
    return hits


def _root_fields(node: Any, fragments: dict[str, FragmentDefinitionNode], seen: set[str]) -> list[str]:
    names: list[str] = []
    for selection in node.selection_set.selections:
        if isinstance(selection, FieldNode):
            names.append(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            names.extend(_root_fields(selection, fragments, seen))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:  # a spread is charged once, as it runs once
                seen.add(name)
                names.extend(_root_fields(fragments[name], fragments, seen))
    return names


def client_key(context: Any) -> str:
    """Who is charged: the person a token names, else the address the request came from."""
    viewer = getattr(context, "viewer", None)
    if viewer is not None and viewer.subject and viewer.subject != viewer.role.value.lower():
        return f"sub:{viewer.role.value}:{viewer.subject}"
    request = getattr(context, "request", None)
    client = getattr(request, "client", None)
    return f"ip:{client.host if client else 'unknown'}"


class RateLimit(SchemaExtension):
    def __init__(self, *, limits: RateLimits) -> None:
        self.limits = limits

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        if self.limits.enabled and context.result is None and context.graphql_document is not None:
            hits = root_groups(context.graphql_document, context.operation_name)
            if hits:
                await self._charge(hits)
        yield

    async def _charge(self, hits: Counter[str]) -> None:
        context = self.execution_context
        try:
            refused = await self.limits.charge(client_key(context.context), hits)
        except Exception as exc:  # the counters are unreachable: serve, and say so in the log
            log.warning("rate limit storage failed, request let through: %s", exc)
            return
        if refused is None:
            return
        group, rate, wait = refused
        message = f"too many requests ({group}): at most {rate} for this client; try again in {wait} s"
        context.result = ExecutionResult(data=None, errors=[RateLimited(message, retryAfter=wait)])
        response = getattr(context.context, "response", None)
        if response is not None and hasattr(response, "headers") and hasattr(response, "status_code"):
            response.status_code = 429
            response.headers["Retry-After"] = str(wait)
