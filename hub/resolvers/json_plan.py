"""Complaint nodes whose JSON PostgreSQL writes: a selection planned into one
SQL value per ``node`` field, its text spliced into the response unread.

A backward page (``last``/``before``) is not written here: it takes the second way.

This is the first of three ways a ``complaints`` page is answered, fastest
first: here, when every field under ``node`` has a writer and the store is
PostgreSQL (the SQL of each field is :mod:`hub.store.page_json`'s; this
module only walks the selection); else from the rows through the
plans of :mod:`hub.resolvers.complaint_plan`; else field by field. The
writers give what those getters give, value for value and byte for byte
(``tests/api/test_planned_reads.py`` compares the three). Fields whose value
PostgreSQL cannot write exactly the way the API does (floats, breaches
computed against the request's clock, time zones, redacted texts, details,
the reporter's identity) have no writer: their selections take
the second way.

A node's SQL is made once per plan and per set of ``timeline(last:)``
values (they come from variables), and kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import orjson
from graphql import FieldNode, FragmentDefinitionNode

from hub.resolvers.access_log import note_written
from hub.resolvers.complaint_plan import ConnectionPlan, plan_connection
from hub.resolvers.complaints import read_page
from hub.resolvers.context import Context
from hub.resolvers.read_plan import Env, PlanCache, Refused, Unplannable, collect
from hub.resolvers.selection import MAX_TIMELINE, int_argument
from hub.store import page_json
from hub.store import page_json as sql
from hub.store.complaint_queries import ComplaintFilter, ComplaintOrder, count_complaints
from hub.store.database import is_sqlite
from hub.store.keyset import PageRequest
from hub.store.page_json import NotWritable

COMPLAINT_TYPES = frozenset({"Complaint", "Node", "_Entity"})
REGION_TYPES = frozenset({"Region", "Node", "_Entity"})
AGENCY_TYPES = frozenset({"Agency", "Node"})


@dataclass
class Planning:
    """What a node's plan collects while it is made: the timeline fields, whose ``last`` is read per request."""

    timelines: list[FieldNode] = field(default_factory=list)


Writer = Callable[[list[FieldNode], Mapping[str, FragmentDefinitionNode], Planning], str]
Writers = Mapping[str, Writer]


def _object(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode], planning: Planning,
            types: frozenset[str], typename: str, writers: Writers) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = []
    for key, group in collect((node.selection_set for node in nodes), fragments, types).items():
        name = group[0].name.value
        if name == "__typename":
            fields.append((key, sql.literal(typename)))
            continue
        write = writers.get(name)
        if write is None:
            raise Unplannable(f"{typename}.{name} has no SQL writer")
        fields.append((key, write(group, fragments, planning)))
    return fields


def _value(value: str) -> Writer:
    return lambda nodes, fragments, planning: value


def _values(values: Mapping[str, str]) -> Writers:
    """A type's fields as the store writes them (``hub.store.page_json``)."""
    return {name: _value(value) for name, value in values.items()}


def _related(wrap: Callable[[list[tuple[str, str]]], str], types: frozenset[str], typename: str,
             writers: Callable[[], Writers]) -> Writer:
    def write(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode], planning: Planning) -> str:
        return wrap(_object(nodes, fragments, planning, types, typename, writers()))

    return write


def _timeline(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode], planning: Planning) -> str:
    fields = _object(nodes, fragments, planning, frozenset({"TimelineEvent"}), "TimelineEvent", EVENT)
    planning.timelines.append(nodes[0])  # its `last` is the request's: filled in by NodePlan.sql
    return sql.timeline_slot(fields, len(planning.timelines) - 1)


REGION: Writers = {**_values(sql.REGION),
                   "parent": _related(sql.region_parent, REGION_TYPES, "Region", lambda: _values(sql.REGION_PARENT))}
EVENT: Writers = _values(sql.EVENT)
COMPLAINT: Writers = {
    **_values(sql.COMPLAINT),
    "region": _related(sql.region, REGION_TYPES, "Region", lambda: REGION),
    "agency": _related(sql.agency, AGENCY_TYPES, "Agency", lambda: _values(sql.AGENCY)),
    "category": _related(sql.category, frozenset({"Category"}), "Category", lambda: _values(sql.CATEGORY)),
    "sources": _related(sql.sources, frozenset({"ComplaintSource"}), "ComplaintSource", lambda: _values(sql.SOURCE)),
    "timeline": _timeline,
}

_KEPT = 64  # node SQL texts kept per plan (one per set of timeline limits)


class NodePlan:
    """A ``node`` field of the page written by PostgreSQL: its SQL, and its value from a row."""

    def __init__(self, template: str, timelines: list[FieldNode], position: int) -> None:
        self.template = template
        self.timelines = timelines
        self.position = position  # which node column of the statement is this field's
        self._texts: dict[tuple[int | None, ...], str] = {}

    def limits(self, variables: Mapping[str, Any]) -> tuple[int | None, ...]:
        """Each timeline field's ``last``; one ordinary execution would refuse is refused here too."""
        found: list[int | None] = []
        for node in self.timelines:
            last = int_argument(node, "last", variables) if node.arguments else None
            if last is not None and not (isinstance(last, int) and 1 <= last <= MAX_TIMELINE):
                raise Refused("timeline(last)")
            found.append(last)
        return tuple(found)

    def sql(self, limits: tuple[int | None, ...]) -> str:
        text = self._texts.get(limits)
        if text is None:
            if len(self._texts) >= _KEPT:
                self._texts.clear()
            text = self._texts[limits] = self.template.format(*("ALL" if n is None else str(n) for n in limits))
        return text

    def build(self, row: Any, env: Env) -> Any:
        return orjson.Fragment(row.nodes[self.position])


def events_read(limits: list[tuple[int | None, ...]]) -> str | None:
    """Whether the events written name the reporter, as SQL; None when no events are written."""
    every = [n for group in limits for n in group]
    if not every:
        return None
    return sql.names_reporter(None if None in every else max(n for n in every if n is not None))


class NodePlanner:
    """Makes the node plans of one connection, numbering their columns."""

    def __init__(self) -> None:
        self.plans: list[NodePlan] = []

    def __call__(self, nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> NodePlan:
        planning = Planning()
        try:
            fields = _object(nodes, fragments, planning, COMPLAINT_TYPES, "Complaint", COMPLAINT)
            template = sql.obj(fields).replace("{", "{{").replace("}", "}}")
        except NotWritable as exc:
            raise Unplannable(str(exc)) from None
        # literals cannot hold braces (typenames, names, the hidden-reporter text): only the slots are fields
        for slot in range(len(planning.timelines)):
            template = template.replace("LIMIT {{%d}}" % slot, "LIMIT {%d}" % slot)
        plan = NodePlan(template, planning.timelines, len(self.plans))
        self.plans.append(plan)
        return plan


@lru_cache(maxsize=8)
def _writes_json(database_url: str) -> bool:
    return not is_sqlite(database_url)


# --- the page -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PagePlan:
    """A ``complaints`` field planned for PostgreSQL: the connection, and its node fields' SQL."""

    connection: ConnectionPlan
    nodes: tuple[NodePlan, ...]


def plan_page(nodes: list[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]) -> PagePlan:
    planner = NodePlanner()
    connection = plan_connection(nodes, fragments, plan_node=planner)
    return PagePlan(connection, tuple(planner.plans))


async def written_page(
    ctx: Context, plan: PagePlan, *, where: ComplaintFilter, order: ComplaintOrder, window: PageRequest,
    variables: Mapping[str, Any],
) -> dict[str, Any] | None:
    """The ``complaints`` value with its nodes written by PostgreSQL; None on another database, or for a
    backward page (``last``/``before``: the field-by-field paths answer it).

    Raises :class:`Refused` for an argument ordinary execution refuses."""
    if window.backward or not _writes_json(ctx.settings.database_url):
        return None
    limits = [node.limits(variables) for node in plan.nodes]
    page = await read_page(ctx, page_json.read_page, window, where=where, order=order,
                           nodes=[node.sql(given) for node, given in zip(plan.nodes, limits, strict=True)],
                           events_named=events_read(limits))
    if page is None:
        return None
    note_written(ctx, page.complaints)
    total = await ctx.read(count_complaints, ctx.viewer, where=where, now=ctx.now) if plan.connection.counts else None
    return plan.connection.build(page, Env(ctx.viewer, ctx.now, variables), after=window.after, total=total)  # type: ignore[arg-type]


PLANS = PlanCache()
