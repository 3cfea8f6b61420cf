"""Refusing an operation that costs more than the caller's budget, before it runs.

The cost (:mod:`hub.schema.cost`) depends on the variables, and the budget on
the caller's role, so the check runs in the validation step after the
(cached, role-blind) validation rules, not as one of them. Budgets are
settings: the public and reporters get the least, staff more, national admins
the most; introspection has its own budget, what the standard introspection
query costs.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping
from typing import Any

import orjson
from graphql import DocumentNode, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from hub.domain.access import Viewer
from hub.domain.vocabulary import Role
from hub.schema.cost import Cost, CostModel
from hub.settings import Settings


def budget_of(settings: Settings, role: Role) -> int:
    """The most an operation by a caller of ``role`` may cost."""
    if role is Role.NATIONAL_ADMIN:
        return settings.query_budget_national
    if role in (Role.REGION_ADMIN, Role.AGENCY_OFFICER):
        return settings.query_budget_staff
    return settings.query_budget_public


def too_costly(cost: int, budget: int, role: Role, *, what: str = "This query") -> GraphQLError:
    return GraphQLError(
        f"{what} costs {cost:,}, over the budget of {budget:,} for a {role.value} caller; "
        "ask for smaller pages (`first`, `limit`, `last`), fewer nested lists or fewer aliases",
        extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "budget": budget},
    )


class QueryCostLimiter(SchemaExtension):
    """Place after ``ValidationCache``: it reads the validation's outcome."""

    def __init__(self, model: CostModel, settings: Settings) -> None:
        self.model = model
        self.settings = settings

    def on_validate(self) -> Iterator[None]:
        ec = self.execution_context
        if ec.pre_execution_errors is None and ec.graphql_document is not None:
            ec.pre_execution_errors = validate_document(ec.schema._schema, ec.graphql_document,
                                                        ec.validation_rules)
        if not ec.pre_execution_errors and ec.graphql_document is not None:
            refusal = self.refusal()
            if refusal is not None:
                ec.pre_execution_errors = [refusal]
        yield

    def refusal(self) -> GraphQLError | None:
        ec = self.execution_context
        assert ec.graphql_document is not None
        viewer = getattr(ec.context, "viewer", None) or Viewer()
        costs = _COSTS.get(self.model)
        if costs is None:
            costs = _COSTS[self.model] = CostCache()
        cost = costs.get(self.model, ec.graphql_document, ec.operation_name, ec.variables)
        budget = budget_of(self.settings, viewer.role)
        if cost.total > budget:
            return too_costly(cost.total, budget, viewer.role)
        if cost.introspection > self.model.introspection_budget:
            return too_costly(cost.introspection, self.model.introspection_budget, viewer.role,
                              what="This introspection query")
        return None


class CostCache:
    """A model's costs by parsed document (kept as long as the parser cache keeps it), operation and
    variables: the same query with the same variables is costed once, not on every request."""

    KEPT = 1024

    def __init__(self) -> None:
        self._costs: dict[tuple[int, str | None, bytes], tuple[weakref.ref[DocumentNode], Cost]] = {}

    def get(self, model: CostModel, document: DocumentNode, operation_name: str | None,
            variables: Mapping[str, Any] | None) -> Cost:
        try:
            key = (id(document), operation_name, orjson.dumps(variables, option=orjson.OPT_SORT_KEYS))
        except TypeError:  # variables that are not plain JSON: cost them each time
            return model.cost(document, operation_name, variables)
        found = self._costs.get(key)
        if found is not None and found[0]() is document:
            return found[1]
        cost = model.cost(document, operation_name, variables)
        if len(self._costs) >= self.KEPT:
            self._costs.clear()
        self._costs[key] = (weakref.ref(document), cost)
        return cost


_COSTS: weakref.WeakKeyDictionary[CostModel, CostCache] = weakref.WeakKeyDictionary()
