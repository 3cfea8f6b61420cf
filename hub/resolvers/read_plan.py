"""Planned reads: a complaint selection turned once into a builder of its
response, so a page of rows becomes response data without graphql-core
resolving each of its ~1,200 fields.

GraphQL execution resolves and completes every field of every object: for
the list page that is most of the CPU a request costs. For the shapes the
frontends read (a ``complaints`` connection, ``complaint(trackingId)``,
``node(id)`` of a complaint) the field's selection is known before any row
is read, so, as PostGraphile/grafast plan an operation before running it,
the resolver plans its selection once per query document: an
:class:`ObjectPlan` per object type, a list of ``(response key, getter)``
pairs in the order graphql-core would emit them (fields collected through
named and inline fragments, same response keys merged; the getters of each
type are in :mod:`hub.resolvers.complaint_plan`). The resolver then
hands graphql-core a :class:`Completed` value, which
:class:`hub.schema.execution.PlannedExecutionContext` passes through as the
field's finished result.

The values are the ones the strawberry types give (the same scope and
reporter rules from ``hub.domain.access``, the same breach rule, enum
names, ISO datetimes, relay global ids); ``tests/api/test_planned_reads.py``
checks the two paths against each other. Anything the planner does not
know (a directive, a relation not fetched with the page, a field added to
the schema later) makes the selection unplannable and the field falls back
to ordinary execution over the same rows, so an unplanned shape is slower,
never wrong. So does an argument that ordinary execution would refuse
(``timeline(last: 0)``): its error then comes out exactly as before.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graphql import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode

from hub.domain.access import Viewer


class Completed:
    """A field's value already in response form; graphql-core passes it on as is."""

    __slots__ = ("data",)

    def __init__(self, data: Any) -> None:
        self.data = data


class Unplannable(Exception):
    """The selection uses something the planner does not build; execute it field by field."""


class Refused(Exception):
    """An argument ordinary execution would refuse with an error; let it."""


@dataclass(frozen=True, slots=True)
class Env:
    """What a plan reads besides the rows: who asks, when, the request's variables."""

    viewer: Viewer
    now: datetime
    variables: Mapping[str, Any]


Getter = Callable[[Any, Env], Any]


@dataclass(frozen=True, slots=True)
class ObjectPlan:
    fields: tuple[tuple[str, Getter], ...]

    def build(self, source: Any, env: Env) -> dict[str, Any]:
        return {key: get(source, env) for key, get in self.fields}


# --- collecting fields as graphql-core does ---------------------------------------------


def collect(
    selection_sets: Iterable[SelectionSetNode | None], fragments: Mapping[str, FragmentDefinitionNode],
    types: frozenset[str],
) -> dict[str, list[FieldNode]]:
    """Fields by response key, in first-appearance order, through fragments on ``types``."""
    found: dict[str, list[FieldNode]] = {}
    visited: set[str] = set()

    def walk(selection_set: SelectionSetNode | None) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if selection.directives:
                raise Unplannable("directives")
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                found.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if selection.type_condition is None or selection.type_condition.name.value in types:
                    walk(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in visited:
                    continue
                visited.add(name)
                fragment = fragments.get(name)
                if fragment is None:
                    raise Unplannable(f"fragment {name}")
                if fragment.directives:
                    raise Unplannable("directives")
                if fragment.type_condition.name.value in types:
                    walk(fragment.selection_set)

    for selection_set in selection_sets:
        walk(selection_set)
    return found


def plan_object(
    nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode], types: frozenset[str],
    typename: str, getters: Mapping[str, Callable[[list[FieldNode], Mapping[str, FragmentDefinitionNode]], Getter]],
) -> ObjectPlan:
    fields: list[tuple[str, Getter]] = []
    for key, group in collect((node.selection_set for node in nodes), fragments, types).items():
        name = group[0].name.value
        if name == "__typename":
            fields.append((key, _constant(typename)))
            continue
        make = getters.get(name)
        if make is None:
            raise Unplannable(f"{typename}.{name}")
        fields.append((key, make(group, fragments)))
    return ObjectPlan(tuple(fields))


def _constant(value: Any) -> Getter:
    return lambda source, env: value


# --- serialising values as the strawberry scalars do --------------------------------------


def serialize_text(value: Any) -> Any:
    return value


def serialize_enum(value: Any) -> Any:
    return value.name if value is not None else None


def serialize_moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def serialize_float(value: Any) -> float | None:
    return float(value) if value is not None else None


def attribute(name: str, serialize: Callable[[Any], Any] = serialize_text) -> Callable[..., Getter]:
    def make(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
        return lambda source, env: serialize(getattr(source, name))

    return make


def column(name: str, serialize: Callable[[Any], Any] = serialize_text) -> Callable[..., Getter]:
    def make(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
        return lambda row, env: serialize(row.values[name])

    return make


def object_of(
    attribute: Callable[[Any], Any], getters: Mapping[str, Any], types: frozenset[str], typename: str
) -> Callable[..., Getter]:
    def make(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
        plan = plan_object(nodes, fragments, types, typename, getters)

        def get(source: Any, env: Env) -> Any:
            found = attribute(source)
            return plan.build(found, env) if found is not None else None

        return get

    return make


def list_of(attribute: Callable[[Any], Any], getters: Mapping[str, Any], types: frozenset[str], typename: str) -> Callable[..., Getter]:
    def make(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
        plan = plan_object(nodes, fragments, types, typename, getters)
        return lambda source, env: [plan.build(item, env) for item in attribute(source)]

    return make


class PlanCache:
    """Plans by the query document's field node they were made for (kept as long as the parsed document)."""

    def __init__(self) -> None:
        self._plans: dict[int, tuple[weakref.ref[FieldNode], Any]] = {}

    def get(self, node: FieldNode, make: Callable[[], Any]) -> Any:
        """The plan for ``node``, made on first use; ``None`` when its selection is unplannable."""
        found = self._plans.get(id(node))
        if found is not None and found[0]() is node:
            return found[1]
        try:
            plan = make()
        except Unplannable:
            plan = None
        key = id(node)
        self._plans[key] = (weakref.ref(node, lambda _ref: self._plans.pop(key, None)), plan)
        return plan


PLANS = PlanCache()
