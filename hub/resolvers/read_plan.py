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
named and inline fragments, same response keys merged). The resolver then
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
from strawberry.relay.utils import to_base64

from hub.domain.access import Viewer, can_see_reporter
from hub.domain.regions import zone_abbreviation
from hub.domain.vocabulary import Role
from hub.resolvers.selection import HIDDEN_REPORTER, MAX_TIMELINE, int_argument
from hub.store.complaint_reads import ComplaintRow, PageOfRows
from hub.store.deadlines import breaches

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


def _plan(
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


def _text(value: Any) -> Any:
    return value


def _enum(value: Any) -> Any:
    return value.name if value is not None else None


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def _attribute(name: str, serialize: Callable[[Any], Any] = _text) -> Callable[..., Getter]:
    def make(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
        return lambda source, env: serialize(getattr(source, name))

    return make


def _column(name: str, serialize: Callable[[Any], Any] = _text) -> Callable[..., Getter]:
    def make(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
        return lambda row, env: serialize(row.values[name])

    return make


def _object(
    attribute: Callable[[Any], Any], getters: Mapping[str, Any], types: frozenset[str], typename: str
) -> Callable[..., Getter]:
    def make(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
        plan = _plan(nodes, fragments, types, typename, getters)

        def get(source: Any, env: Env) -> Any:
            found = attribute(source)
            return plan.build(found, env) if found is not None else None

        return get

    return make


def _list(attribute: Callable[[Any], Any], getters: Mapping[str, Any], types: frozenset[str], typename: str) -> Callable[..., Getter]:
    def make(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
        plan = _plan(nodes, fragments, types, typename, getters)
        return lambda source, env: [plan.build(item, env) for item in attribute(source)]

    return make


# --- the types --------------------------------------------------------------------------

REGION_TYPES = frozenset({"Region", "Node", "_Entity"})
COMPLAINT_TYPES = frozenset({"Complaint", "Node", "_Entity"})

REGION_BASE: dict[str, Callable[..., Getter]] = {
    "id": lambda nodes, fragments: lambda region, env: to_base64("Region", region.code),
    "code": _attribute("code"),
    "name": _attribute("name"),
    "level": _attribute("level", _enum),
    "parentCode": _attribute("parent_code"),
    "timeZone": lambda nodes, fragments: lambda region, env: zone_abbreviation(region.code),
}


def _parent_region(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
    plan = _plan(nodes, fragments, REGION_TYPES, "Region", REGION_BASE)  # one level: what the page read

    def get(region: Any, env: Env) -> Any:
        if region.parent_code is None:
            return None
        if getattr(region, "parent", None) is None:
            raise Refused("parent region not read with the page")
        return plan.build(region.parent, env)

    return get


REGION = {**REGION_BASE, "parent": _parent_region}
AGENCY = {"id": _attribute("id"), "name": _attribute("name"), "shortName": _attribute("short_name"),
          "regionCode": _attribute("region_code")}
CATEGORY = {"code": _attribute("code"), "name": _attribute("name"), "resolveDays": _attribute("resolve_days")}
SOURCE = {"sourceSystem": _attribute("source_system"), "sourceId": _attribute("source_id"),
          "sourceUpdatedAt": _attribute("source_updated"), "firstSeenAt": _attribute("first_seen"),
          "lastSeenAt": _attribute("last_seen")}  # moments already written as the API writes them
REPORTER = {"name": _attribute("name"), "phone": _attribute("phone"), "email": _attribute("email")}


def _actor(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
    return lambda pair, env: HIDDEN_REPORTER if pair[1] and pair[0].actor_role is Role.REPORTER else pair[0].actor


def _of_event(name: str, serialize: Callable[[Any], Any] = _text) -> Callable[..., Getter]:
    def make(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
        return lambda pair, env: serialize(getattr(pair[0], name))

    return make


EVENT = {"kind": _of_event("kind", _enum), "fromStatus": _of_event("from_status", _enum),
         "toStatus": _of_event("to_status", _enum), "text": _of_event("text"), "actor": _actor,
         "actorRole": _of_event("actor_role", _enum), "sourceSystem": _of_event("source_system"),
         "occurredAt": _of_event("occurred"), "recordedAt": _of_event("recorded")}


def _timeline(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
    plan = _plan(nodes, fragments, frozenset({"TimelineEvent"}), "TimelineEvent", EVENT)
    node = nodes[0]

    def get(row: ComplaintRow, env: Env) -> Any:
        last = int_argument(node, "last", env.variables) if node.arguments else None
        if last is not None and not 1 <= last <= MAX_TIMELINE:
            raise Refused("timeline(last)")
        if row.events is None or not row.selection.covers_timeline(last):
            raise Refused("timeline not read with the page")
        hide = not can_see_reporter(env.viewer, row.facts)
        events = row.events if last is None else row.events[-last:]
        return [plan.build((event, hide), env) for event in events]

    return get


def _breach(position: int | None) -> Callable[..., Getter]:
    def make(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
        if position is None:
            return lambda row, env: any(breaches(row, env.now))  # type: ignore[arg-type]
        return lambda row, env: breaches(row, env.now)[position]  # type: ignore[arg-type]

    return make


def _fetched(name: str) -> Callable[[ComplaintRow], Any]:
    def attribute(row: ComplaintRow) -> Any:
        if not getattr(row.selection, name):
            raise Refused(f"{name} not read with the page")
        return getattr(row, name)

    return attribute


def _reporter(row: ComplaintRow) -> Any:
    if not row.selection.reporter:
        raise Refused("reporter not read with the page")
    return row.reporter if row.reporter_visible else None


def _sources(row: ComplaintRow) -> Any:
    if row.sources is None:
        raise Refused("sources not read with the page")
    return row.sources


COMPLAINT: dict[str, Callable[..., Getter]] = {
    "id": lambda nodes, fragments: lambda row, env: to_base64("Complaint", row.id),
    **{camel: _column(column) for camel, column in (
        ("trackingId", "tracking_id"), ("title", "title"), ("body", "body"), ("regionCode", "region_code"),
        ("address", "address"), ("rating", "rating"), ("ratingComment", "rating_comment"))},
    **{camel: _column(column, _enum) for camel, column in (
        ("type", "type"), ("privacy", "privacy"), ("channel", "channel"), ("status", "status"))},
    **{camel: _column(column, _float) for camel, column in (("latitude", "latitude"), ("longitude", "longitude"))},
    **{camel: _column(column, _moment) for camel, column in (
        ("createdAt", "created_at"), ("updatedAt", "updated_at"), ("verifiedAt", "verified_at"),
        ("dispositionedAt", "dispositioned_at"), ("firstFollowUpAt", "first_follow_up_at"),
        ("resolvedAt", "resolved_at"), ("closedAt", "closed_at"), ("verifyDue", "verify_due"),
        ("followUpDue", "follow_up_due"), ("resolveDue", "resolve_due"), ("answerDue", "answer_due"))},
    "verifyBreached": _breach(0),
    "followUpBreached": _breach(1),
    "resolveBreached": _breach(2),
    "slaBreached": _breach(None),
    "reporterHidden": lambda nodes, fragments: lambda row, env: not can_see_reporter(env.viewer, row.facts),
    "reporter": _object(_reporter, REPORTER, frozenset({"Reporter"}), "Reporter"),
    "region": _object(_fetched("region"), REGION, REGION_TYPES, "Region"),
    "agency": _object(_fetched("agency"), AGENCY, frozenset({"Agency"}), "Agency"),
    "category": _object(_fetched("category"), CATEGORY, frozenset({"Category"}), "Category"),
    "sources": _list(_sources, SOURCE, frozenset({"ComplaintSource"}), "ComplaintSource"),
    "timeline": _timeline,
}


# --- the connection -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConnectionPlan:
    """How to build a ``complaints`` field's value from a page of rows."""

    fields: tuple[tuple[str, str, Any], ...]  # (response key, field name, sub-plan)
    counts: bool  # whether totalCount is asked for

    def build(self, page: PageOfRows, env: Env, *, after: str | None, total: int | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, name, sub in self.fields:
            if name == "__typename":
                out[key] = "ComplaintConnection"
            elif name == "totalCount":
                out[key] = total
            elif name == "pageInfo":
                cursors = [page.cursor_of(page.complaints[0]), page.cursor_of(page.complaints[-1])] if page.complaints else [None, None]
                info = {"hasNextPage": page.has_next_page, "hasPreviousPage": after is not None,
                        "startCursor": cursors[0], "endCursor": cursors[1], "__typename": "PageInfo"}
                out[key] = {k: info[n] for k, n in sub}
            else:  # edges
                out[key] = [self._edge(sub, page, row, env) for row in page.complaints]
        return out

    @staticmethod
    def _edge(sub: tuple[tuple[str, str, Any], ...], page: PageOfRows, row: ComplaintRow, env: Env) -> dict[str, Any]:
        edge: dict[str, Any] = {}
        for key, name, node_plan in sub:
            if name == "__typename":
                edge[key] = "ComplaintEdge"
            elif name == "cursor":
                edge[key] = page.cursor_of(row)
            else:
                edge[key] = node_plan.build(row, env)
        return edge


def plan_complaint(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> ObjectPlan:
    return _plan(nodes, fragments, COMPLAINT_TYPES, "Complaint", COMPLAINT)


def plan_connection(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> ConnectionPlan:
    fields: list[tuple[str, str, Any]] = []
    for key, group in collect((n.selection_set for n in nodes), fragments, frozenset({"ComplaintConnection"})).items():
        name = group[0].name.value
        if name in ("__typename", "totalCount"):
            fields.append((key, name, None))
        elif name == "pageInfo":
            known = {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "__typename"}
            picked = collect((n.selection_set for n in group), fragments, frozenset({"PageInfo"}))
            if not {g[0].name.value for g in picked.values()} <= known:
                raise Unplannable("pageInfo")
            fields.append((key, name, tuple((k, g[0].name.value) for k, g in picked.items())))
        elif name == "edges":
            edge: list[tuple[str, str, Any]] = []
            for edge_key, edge_group in collect((n.selection_set for n in group), fragments, frozenset({"ComplaintEdge"})).items():
                edge_name = edge_group[0].name.value
                if edge_name in ("__typename", "cursor"):
                    edge.append((edge_key, edge_name, None))
                elif edge_name == "node":
                    edge.append((edge_key, edge_name, plan_complaint(edge_group, fragments)))
                else:
                    raise Unplannable(f"ComplaintEdge.{edge_name}")
            fields.append((key, name, tuple(edge)))
        else:
            raise Unplannable(f"ComplaintConnection.{name}")
    return ConnectionPlan(tuple(fields), counts=any(name == "totalCount" for _, name, _ in fields))


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
