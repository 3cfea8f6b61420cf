"""Building the Schema with its limits and error masking."""

from __future__ import annotations

from collections.abc import AsyncIterator

import strawberry
import strawberry.federation
from graphql import ASTValidationRule, GraphQLError
from sqlalchemy.exc import SQLAlchemyError
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.tools import merge_types

from hub.observability.logs import request_id
from hub.observability.metrics import GraphQLMetrics
from hub.schema.cost import CostModel
from hub.schema.cost_limit import QueryCostLimiter
from hub.schema.duplicate_fields import DuplicateMutation, DuplicateQuery
from hub.schema.error_log import Schema, is_refusal
from hub.schema.escalation_fields import EscalationQuery
from hub.schema.execution import PlannedExecutionContext
from hub.schema.export_fields import ExportQuery
from hub.schema.input_guard import InputGuard
from hub.schema.mutation import ComplaintMutation, OutboxQuery
from hub.schema.periods import fill_periods
from hub.schema.privacy_fields import PrivacyMutation, PrivacyQuery
from hub.schema.query import Query
from hub.schema.rate_limits import RateLimit, RateLimits
from hub.schema.shape_limits import shape_limits
from hub.schema.stats_fields import StatsQuery
from hub.schema.subscription import Subscription
from hub.schema.switches import ProductionSwitches
from hub.schema.sync_fields import SyncMutation, SyncQuery
from hub.schema.trusted_documents import TrustedDocuments
from hub.schema.webhook_fields import WebhookMutation, WebhookQuery
from hub.settings import Settings


def _is_internal(error: GraphQLError) -> bool:
    """Mask errors raised by code, not those that describe the caller's request."""
    return not is_refusal(error)


def _is_database(error: GraphQLError) -> bool:
    """A database's own error: never shown, even in dev (it may quote SQL and values)."""
    return isinstance(error.original_error, (SQLAlchemyError, UnicodeError))


class AccessLogWriter(SchemaExtension):
    """Writes what staff read of reporters and confidential complaints, once per request, before it answers."""

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context.context
        flush = getattr(context, "flush_readings", None)
        if flush is not None:
            await flush(request_id.get())


def build_schema(settings: Settings, *, trusted: TrustedDocuments | None = None) -> strawberry.Schema:
    """The schema with its limits; with ``trusted`` it runs only those documents."""
    # The limit rules are classes made once: the validation cache is keyed by the
    # rule classes too, so rules made per request would never hit it.
    limit_rules: list[type[ASTValidationRule]] = [shape_limits(max_depth=settings.max_query_depth, max_aliases=settings.max_aliases)]
    limits = RateLimits(settings)
    costs: CostModel  # made from the schema below, before any request
    extensions: list = [
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        # after the validation cache: these read its outcome
        lambda: ProductionSwitches(introspection=settings.introspection_switch,
                                   suggestions=settings.suggestions_switch, trusted=trusted),
        lambda: QueryCostLimiter(costs, settings),  # `costs` is made from the schema below, before any request
        lambda: AddValidationRules(limit_rules),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        GraphQLMetrics,
        lambda: RateLimit(limits=limits),
        InputGuard,
        AccessLogWriter,
    ]
    masked = _is_internal if not settings.is_dev else _is_database
    extensions.append(lambda: MaskErrors(should_mask_error=masked, error_message="Internal error; it has been logged"))
    query = merge_types("Query", (Query, SyncQuery, OutboxQuery, StatsQuery, WebhookQuery, DuplicateQuery, ExportQuery,
                                  PrivacyQuery, EscalationQuery))
    mutation = merge_types("Mutation", (ComplaintMutation, SyncMutation, WebhookMutation, DuplicateMutation,
                                        PrivacyMutation))
    # An Apollo Federation 2 subgraph: Complaint (@key id) and Region (@key code) are entities.
    schema = Schema(query=query, mutation=mutation, subscription=Subscription,
                    extensions=extensions, federation_version="2.5",
                    execution_context_class=PlannedExecutionContext)
    fill_periods(schema._schema, settings.service_levels)
    costs = CostModel(schema._schema, max_page_size=settings.max_page_size, max_months=settings.stats_max_months)
    return schema
