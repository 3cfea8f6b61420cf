"""Building the Schema with its limits and error masking."""

from __future__ import annotations

import strawberry
import strawberry.federation
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from hub.observability.metrics import GraphQLMetrics
from strawberry.tools import merge_types

from hub.schema.duplicate_fields import DuplicateMutation, DuplicateQuery
from hub.schema.escalation_fields import EscalationQuery
from hub.schema.error_log import Schema, is_refusal
from hub.schema.execution import PlannedExecutionContext
from hub.schema.export_fields import ExportQuery
from hub.schema.mutation import ComplaintMutation, OutboxQuery
from hub.schema.query import Query
from hub.schema.stats_fields import StatsQuery
from hub.schema.subscription import Subscription
from hub.schema.sync_fields import SyncMutation, SyncQuery
from hub.schema.webhook_fields import WebhookMutation, WebhookQuery
from hub.settings import Settings


def _is_internal(error: GraphQLError) -> bool:
    """Mask errors raised by code, not those that describe the caller's request."""
    return not is_refusal(error)


def build_schema(settings: Settings) -> strawberry.Schema:
    # The limit rules are classes made once: the validation cache is keyed by the
    # rule classes too, so rules made per request would never hit it.
    limit_rules = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    extensions: list = [
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: AddValidationRules(limit_rules),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        GraphQLMetrics,
    ]
    if not settings.is_dev:
        extensions.append(
            lambda: MaskErrors(should_mask_error=_is_internal, error_message="Internal error; it has been logged")
        )
    query = merge_types("Query", (Query, SyncQuery, OutboxQuery, StatsQuery, WebhookQuery, DuplicateQuery, ExportQuery,
                                      EscalationQuery))
    mutation = merge_types("Mutation", (ComplaintMutation, SyncMutation, WebhookMutation, DuplicateMutation))
    # An Apollo Federation 2 subgraph: Complaint (@key id) and Region (@key code) are entities.
    return Schema(query=query, mutation=mutation, subscription=Subscription,
                  extensions=extensions, federation_version="2.5",
                  execution_context_class=PlannedExecutionContext)
