"""What a GraphQL request selected of a complaint, read from the query document.

The list, ``complaint`` and ``node`` resolvers read their selection set (through
named and inline fragments, as Relay clients write them) and turn it into a
:class:`~hub.store.complaint_reads.ComplaintSelection`: the columns and
relations to fetch for the whole page at once. Fetching a little more than
needed is harmless (``@skip``/``@include`` are ignored here; fields under them
are fetched anyway); fetching less is not, so anything this module does not
know is left to the field's own resolver, which falls back to a DataLoader.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    SelectionSetNode,
    VariableNode,
)

from hub.store.read_rows import BREACH_COLUMNS, ComplaintSelection

COMPLAINT_TYPES = frozenset({"Complaint", "Node", "_Entity"})
MAX_TIMELINE = 500  # the most events `timeline(last:)` gives

# GraphQL field -> the complaint columns it reads
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "trackingId": ("tracking_id",),
    "title": ("title",),
    "body": ("body",),
    "type": ("type",),
    "privacy": ("privacy",),
    "channel": ("channel",),
    "status": ("status",),
    "regionCode": ("region_code",),
    "address": ("address",),
    "latitude": ("latitude",),
    "longitude": ("longitude",),
    "createdAt": ("created_at",),
    "updatedAt": ("updated_at",),
    "verifiedAt": ("verified_at",),
    "dispositionedAt": ("dispositioned_at",),
    "firstFollowUpAt": ("first_follow_up_at",),
    "resolvedAt": ("resolved_at",),
    "closedAt": ("closed_at",),
    "verifyDue": ("verify_due",),
    "followUpDue": ("follow_up_due",),
    "resolveDue": ("resolve_due",),
    "answerDue": ("answer_due",),
    "rating": ("rating",),
    "ratingComment": ("rating_comment",),
    "escalationLevel": ("escalation_level",),
    "verifyBreached": BREACH_COLUMNS,
    "followUpBreached": BREACH_COLUMNS,
    "resolveBreached": BREACH_COLUMNS,
    "slaBreached": BREACH_COLUMNS,
}


def fields(
    selection_set: SelectionSetNode | None, fragments: Mapping[str, FragmentDefinitionNode], types: frozenset[str]
) -> Iterator[FieldNode]:
    """The fields of a selection set, with fragments on any of ``types`` spread in."""
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            if selection.type_condition is None or selection.type_condition.name.value in types:
                yield from fields(selection.selection_set, fragments, types)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None and fragment.type_condition.name.value in types:
                yield from fields(fragment.selection_set, fragments, types)


def int_argument(node: FieldNode, name: str, variables: Mapping[str, Any]) -> Any:
    for argument in node.arguments or ():
        if argument.name.value == name:
            value = argument.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, VariableNode):
                return variables.get(value.name.value)
            return None
    return None


def complaint_selection(
    nodes: Iterable[FieldNode], fragments: Mapping[str, FragmentDefinitionNode], variables: Mapping[str, Any]
) -> ComplaintSelection:
    """The selection of complaint fields under ``nodes`` (fields whose type is Complaint)."""
    columns: set[str] = set()
    flags: dict[str, bool] = {}
    lasts: list[int | None] = []
    for node in nodes:
        for field in fields(node.selection_set, fragments, COMPLAINT_TYPES):
            name = field.name.value
            columns.update(COLUMNS.get(name, ()))
            if name in ("region", "agency", "category", "sources", "reporter"):
                flags[name] = True
            if name == "region":
                region_fields = {f.name.value for f in fields(field.selection_set, fragments, frozenset({"Region", "Node"}))}
                flags["region_parent"] = flags.get("region_parent", False) or "parent" in region_fields
            elif name == "timeline":
                last = int_argument(field, "last", variables)
                if last is None or (isinstance(last, int) and 1 <= last <= MAX_TIMELINE):
                    lasts.append(last)
    return ComplaintSelection(
        columns=frozenset(columns),
        region=flags.get("region", False),
        region_parent=flags.get("region_parent", False),
        agency=flags.get("agency", False),
        category=flags.get("category", False),
        reporter=flags.get("reporter", False),
        sources=flags.get("sources", False),
        timeline=bool(lasts),
        timeline_last=None if not lasts or None in lasts else max(x for x in lasts if x is not None),
    )


def connection_nodes(
    nodes: Iterable[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]
) -> tuple[list[FieldNode], set[str]]:
    """Under a ``complaints`` connection field: its ``edges.node`` fields, and its own field names."""
    found: list[FieldNode] = []
    names: set[str] = set()
    connection_types = frozenset({"ComplaintConnection"})
    for node in nodes:
        for field in fields(node.selection_set, fragments, connection_types):
            names.add(field.name.value)
            if field.name.value == "edges":
                for edge_field in fields(field.selection_set, fragments, frozenset({"ComplaintEdge"})):
                    if edge_field.name.value == "node":
                        found.append(edge_field)
    return found, names


def of_info(info: Any) -> tuple[list[FieldNode], Mapping[str, FragmentDefinitionNode], Mapping[str, Any]]:
    """The field nodes, fragments and variables of a strawberry ``Info``."""
    raw = info._raw_info
    return list(raw.field_nodes), raw.fragments, raw.variable_values
