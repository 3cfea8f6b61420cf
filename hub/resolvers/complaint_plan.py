"""Plans for a complaint and a ``complaints`` connection: for each GraphQL
field of Complaint and the types below it, how to get its response value
from a :class:`~hub.store.read_rows.ComplaintRow` read with the page (see
:mod:`hub.resolvers.read_plan` for how plans are made and used).

Each getter gives what the strawberry type's field gives: the same scope and
reporter rules (``hub.domain.access``), the same breach rule, enum names,
ISO datetimes, relay global ids. A field without a getter here makes the
selection unplannable (ordinary execution); a relation the page did not read
raises :class:`~hub.resolvers.read_plan.Refused` (ordinary execution too).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, FragmentDefinitionNode
from strawberry.relay.utils import to_base64

from hub.domain.access import HIDDEN_REPORTER, can_see_reporter
from hub.domain.redaction import redact_text
from hub.domain.regions import zone_abbreviation
from hub.domain.sla import breaches
from hub.domain.vocabulary import Role
from hub.resolvers.read_plan import (
    Env,
    Getter,
    ObjectPlan,
    Refused,
    Unplannable,
    attribute,
    collect,
    column,
    list_of,
    object_of,
    plan_object,
    serialize_enum,
    serialize_float,
    serialize_moment,
)
from hub.resolvers.selection import MAX_TIMELINE, int_argument
from hub.store.read_rows import EVENT_ITEM, SOURCE_ITEM, ComplaintRow, PageOfRows, regional_details, source_details

REGION_TYPES = frozenset({"Region", "Node", "_Entity"})
AGENCY_TYPES = frozenset({"Agency", "Node"})
COMPLAINT_TYPES = frozenset({"Complaint", "Node", "_Entity"})

REGION_BASE: dict[str, Callable[..., Getter]] = {
    "id": lambda nodes, fragments: lambda region, env: to_base64("Region", region.code),
    "code": attribute("code"),
    "name": attribute("name"),
    "level": attribute("level", serialize_enum),
    "parentCode": attribute("parent_code"),
    "timeZone": lambda nodes, fragments: lambda region, env: zone_abbreviation(region.code),
}


def _parent_region(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
    plan = plan_object(nodes, fragments, REGION_TYPES, "Region", REGION_BASE)  # one level: what the page read

    def get(region: Any, env: Env) -> Any:
        if region.parent_code is None:
            return None
        if getattr(region, "parent", None) is None:
            raise Refused("parent region not read with the page")
        return plan.build(region.parent, env)

    return get


REGION = {**REGION_BASE, "parent": _parent_region}
AGENCY = {"id": lambda nodes, fragments: lambda agency, env: to_base64("Agency", agency.id),
          "name": attribute("name"), "shortName": attribute("short_name"), "regionCode": attribute("region_code")}
CATEGORY = {"code": attribute("code"), "name": attribute("name"), "resolveDays": attribute("resolve_days")}
def _item(position: int) -> Callable[..., Getter]:
    def make(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
        return lambda item, env: item[position]

    return make


# Sources and events are the statement's lists of values (SOURCE_ITEM, EVENT_ITEM): moments
# already written as the API writes them, enums as their names.
_DETAILS = SOURCE_ITEM.index("details")
SOURCE = {
    **{name: _item(SOURCE_ITEM.index(column)) for name, column in (
        ("sourceSystem", "source_system"), ("sourceId", "source_id"), ("sourceUpdatedAt", "source_updated"),
        ("firstSeenAt", "first_seen"), ("lastSeenAt", "last_seen"))},
    "details": list_of(lambda item: source_details(item[_DETAILS]), {"name": _item(0), "value": _item(1)},
                       frozenset({"SourceDetail"}), "SourceDetail"),
}
REPORTER = {"name": attribute("name"), "phone": attribute("phone"), "email": attribute("email")}


_ACTOR, _ACTOR_ROLE = EVENT_ITEM.index("actor"), EVENT_ITEM.index("actor_role")
_EVENT_DETAILS = EVENT_ITEM.index("details")


def _actor(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
    def get(pair: tuple[list[Any], bool], env: Env) -> Any:
        item, hide = pair
        return HIDDEN_REPORTER if hide and item[_ACTOR_ROLE] == Role.REPORTER.value else item[_ACTOR]

    return get


_TEXT = EVENT_ITEM.index("text")


def _text(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
    def get(pair: tuple[list[Any], bool], env: Env) -> Any:
        item, hide = pair
        text = item[_TEXT]
        return redact_text(text) if text and hide and item[_ACTOR_ROLE] == Role.REPORTER.value else text

    return get


def _of_event(column: str) -> Callable[..., Getter]:
    position = EVENT_ITEM.index(column)

    def make(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
        return lambda pair, env: pair[0][position]

    return make


EVENT = {"kind": _of_event("kind"), "fromStatus": _of_event("from_status"), "toStatus": _of_event("to_status"),
         "text": _text, "actor": _actor, "actorRole": _of_event("actor_role"),
         "sourceSystem": _of_event("source_system"), "occurredAt": _of_event("occurred"),
         "recordedAt": _of_event("recorded"),
         "details": list_of(lambda pair: regional_details(pair[0][_EVENT_DETAILS]), {"name": _item(0), "value": _item(1)},
                            frozenset({"SourceDetail"}), "SourceDetail")}


def _timeline(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
    plan = plan_object(nodes, fragments, frozenset({"TimelineEvent"}), "TimelineEvent", EVENT)
    node = nodes[0]

    def get(row: ComplaintRow, env: Env) -> Any:
        last = int_argument(node, "last", env.variables) if node.arguments else None
        if last is not None and not 1 <= last <= MAX_TIMELINE:
            raise Refused("timeline(last)")
        items = row.event_items
        if items is None or not row.selection.covers_timeline(last):
            raise Refused("timeline not read with the page")
        hide = not can_see_reporter(env.viewer, row.facts)
        return [plan.build((item, hide), env) for item in (items if last is None else items[-last:])]

    return get


def _breach(position: int | None) -> Callable[..., Getter]:
    def make(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> Getter:
        if position is None:
            return lambda row, env: any(breaches(row, env.now))
        return lambda row, env: breaches(row, env.now)[position]

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
    if row.source_items is None:
        raise Refused("sources not read with the page")
    return row.source_items


COMPLAINT: dict[str, Callable[..., Getter]] = {
    "id": lambda nodes, fragments: lambda row, env: to_base64("Complaint", row.id),
    **{camel: column(name) for camel, name in (
        ("trackingId", "tracking_id"), ("title", "title"), ("body", "body"), ("regionCode", "region_code"),
        ("address", "address"), ("rating", "rating"), ("ratingComment", "rating_comment"))},
    **{camel: column(name, serialize_enum) for camel, name in (
        ("type", "type"), ("privacy", "privacy"), ("channel", "channel"), ("status", "status"),
        ("escalationLevel", "escalation_level"))},
    **{camel: column(name, serialize_float) for camel, name in (("latitude", "latitude"), ("longitude", "longitude"))},
    **{camel: column(name, serialize_moment) for camel, name in (
        ("createdAt", "created_at"), ("updatedAt", "updated_at"), ("verifiedAt", "verified_at"),
        ("dispositionedAt", "dispositioned_at"), ("firstFollowUpAt", "first_follow_up_at"),
        ("resolvedAt", "resolved_at"), ("closedAt", "closed_at"), ("verifyDue", "verify_due"),
        ("followUpDue", "follow_up_due"), ("resolveDue", "resolve_due"), ("answerDue", "answer_due"))},
    "verifyBreached": _breach(0),
    "followUpBreached": _breach(1),
    "resolveBreached": _breach(2),
    "slaBreached": _breach(None),
    "reporterHidden": lambda nodes, fragments: lambda row, env: not can_see_reporter(env.viewer, row.facts),
    "reporter": object_of(_reporter, REPORTER, frozenset({"Reporter"}), "Reporter"),
    "region": object_of(_fetched("region"), REGION, REGION_TYPES, "Region"),
    "agency": object_of(_fetched("agency"), AGENCY, AGENCY_TYPES, "Agency"),
    "category": object_of(_fetched("category"), CATEGORY, frozenset({"Category"}), "Category"),
    "sources": list_of(_sources, SOURCE, frozenset({"ComplaintSource"}), "ComplaintSource"),
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
                info = {"hasNextPage": page.has_next_page, "hasPreviousPage": page.has_previous_page,
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
    return plan_object(nodes, fragments, COMPLAINT_TYPES, "Complaint", COMPLAINT)


def plan_connection(
    nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode],
    plan_node: Callable[[list[FieldNode], Mapping[str, FragmentDefinitionNode]], Any] = plan_complaint,
) -> ConnectionPlan:
    """The connection's plan; ``plan_node`` plans each ``node`` field (from rows by default)."""
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
                    edge.append((edge_key, edge_name, plan_node(edge_group, fragments)))
                else:
                    raise Unplannable(f"ComplaintEdge.{edge_name}")
            fields.append((key, name, tuple(edge)))
        else:
            raise Unplannable(f"ComplaintConnection.{name}")
    return ConnectionPlan(tuple(fields), counts=any(name == "totalCount" for _, name, _ in fields))
