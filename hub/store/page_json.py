"""A page of complaints whose JSON PostgreSQL writes itself (the PostGraphile way).

For a selection the planner knows in full (:mod:`hub.resolvers.json_plan`),
each complaint's ``node`` object is one SQL expression over the aliases
below, written with ``row_to_json`` and ``array_to_json`` (compact, keys in
the order given, so the text is byte for byte what orjson writes). The rows
come back as text, and the resolver splices that text into the response
without decoding it.

The statement is the list page's usual one: the keyset page of ids, scoped by
:func:`hub.store.scope.visible_clause` and filtered (``_ids``), joined to its
complaints (``page``). ``_ids.shows_reporter`` is the identity rule of
:func:`hub.domain.access.can_see_reporter` compiled into SQL
(:func:`hub.store.scope.identity_clause`): an event naming the reporter is
written with the reporter's name only where it holds. Reporters' own fields
are not written here (they stay the second statement of the planned path).

Only PostgreSQL: on SQLite :func:`read_page` answers ``None`` and the caller
uses :mod:`hub.store.complaint_reads`.

Aliases the value expressions may use: ``page`` (the complaint), ``_ids``
(``shows_reporter``), and inside the helpers ``_r``/``_rp`` (region, its
parent), ``_a`` (agency), ``_c`` (category), ``_s`` (a source), ``_e`` (an
event).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Select, Text, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.access import HIDDEN_REPORTER, Viewer
from hub.domain.vocabulary import Privacy, Role
from hub.store.complaint_queries import ComplaintFilter, ComplaintOrder
from hub.store.complaint_reads import COMPLAINTS, page_ids
from hub.store.pagination import Cursor
from hub.store.scope import identity_clause

PAGE = COMPLAINTS.alias("page")  # made once: an alias's columns are costly to set up on each request
_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]{0,62}$")  # a GraphQL name PostgreSQL keeps as an identifier


class NotWritable(Exception):
    """The value cannot be written exactly by PostgreSQL (e.g. a key too long for an identifier)."""


# --- JSON values, as SQL text ------------------------------------------------------------


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def obj(fields: Sequence[tuple[str, str]], source: str = "") -> str:
    """A JSON object of ``(response key, value)`` in order; ``source`` (``FROM ... WHERE ...``): none if no row."""
    for key, _ in fields:
        if not _NAME.match(key):
            raise NotWritable(key)
    columns = ", ".join(f'{value} AS "{key}"' for key, value in fields)
    return f"(SELECT row_to_json(_j) FROM (SELECT {columns} {source}) _j)"


def moment(value: str) -> str:
    """A stored UTC moment as the API writes datetimes (Python's isoformat of an aware UTC datetime)."""
    return (f"(to_char({value}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN date_trunc('second', {value}) = {value} "
            f"THEN '' ELSE to_char({value}, '.US') END || '+00:00')")


def global_id(typename: str, value: str) -> str:
    """A relay global id: base64 of ``Type:key`` (short enough never to be wrapped)."""
    return f"encode(convert_to({literal(typename + ':')} || {value}, 'UTF8'), 'base64')"


def complaint(column: str) -> str:
    if column not in COMPLAINTS.c:
        raise NotWritable(column)
    return f"page.{column}"


REPORTER_HIDDEN = "(NOT _ids.shows_reporter)"


def region(fields: Sequence[tuple[str, str]]) -> str:
    return obj(fields, "FROM regions _r WHERE _r.code = page.region_code")


def region_parent(fields: Sequence[tuple[str, str]]) -> str:
    return obj(fields, "FROM regions _rp WHERE _rp.code = _r.parent_code")


def agency(fields: Sequence[tuple[str, str]]) -> str:
    return obj(fields, "FROM agencies _a WHERE _a.id = page.agency_id")


def category(fields: Sequence[tuple[str, str]]) -> str:
    return obj(fields, "FROM categories _c WHERE _c.code = page.category_code")


def sources(fields: Sequence[tuple[str, str]]) -> str:
    """The complaint's sources, first seen first."""
    return (f"(SELECT coalesce(array_to_json(array_agg({obj(fields)} ORDER BY _s.first_seen_at, _s.id)), '[]'::json) "
            "FROM complaint_sources _s WHERE _s.complaint_id = page.id)")


def _latest_events(limit: int | None) -> str:
    return ("(SELECT * FROM timeline_events _t WHERE _t.complaint_id = page.id "
            f"ORDER BY _t.occurred_at DESC, _t.id DESC LIMIT {'ALL' if limit is None else int(limit)}) _e")


def timeline(fields: Sequence[tuple[str, str]], limit: int | None) -> str:
    """The latest ``limit`` events (None: all), oldest first."""
    return (f"(SELECT coalesce(array_to_json(array_agg({obj(fields)} ORDER BY _e.occurred_at, _e.id)), '[]'::json) "
            f"FROM {_latest_events(limit)})")


def event_actor(hidden: str, reporter_role: str) -> str:
    """Who acted; the reporter's name only where the caller may know the reporter."""
    return f"CASE WHEN _e.actor_role = {literal(reporter_role)} AND NOT _ids.shows_reporter THEN {literal(hidden)} ELSE _e.actor END"


def timeline_slot(fields: Sequence[tuple[str, str]], slot: int) -> str:
    """:func:`timeline` whose limit is the request's: ``{slot}`` is filled in with a number or ALL."""
    return timeline(fields, None).replace("LIMIT ALL", "LIMIT {%d}" % slot)


# --- what each field of the API is, as SQL over the aliases above ------------------------------


def _region_values(alias: str) -> dict[str, str]:
    return {"id": global_id("Region", f"{alias}.code"), "code": f"{alias}.code", "name": f"{alias}.name",
            "level": f"{alias}.level", "parentCode": f"{alias}.parent_code"}


REGION = _region_values("_r")
REGION_PARENT = _region_values("_rp")
AGENCY = {"id": global_id("Agency", "_a.id"), "name": "_a.name", "shortName": "_a.short_name", "regionCode": "_a.region_code"}
CATEGORY = {"code": "_c.code", "name": "_c.name", "resolveDays": "_c.resolve_days"}
SOURCE = {"sourceSystem": "_s.source_system", "sourceId": "_s.source_id",
          "sourceUpdatedAt": moment("_s.source_updated_at"), "firstSeenAt": moment("_s.first_seen_at"),
          "lastSeenAt": moment("_s.last_seen_at")}
EVENT = {"kind": "_e.kind", "fromStatus": "_e.from_status", "toStatus": "_e.to_status",
         "actor": event_actor(HIDDEN_REPORTER, Role.REPORTER.value), "actorRole": "_e.actor_role",
         "sourceSystem": "_e.source_system", "occurredAt": moment("_e.occurred_at"),
         "recordedAt": moment("_e.recorded_at")}
COMPLAINT = {
    "id": global_id("Complaint", "page.id"),
    **{camel: complaint(name) for camel, name in (
        ("trackingId", "tracking_id"), ("title", "title"), ("body", "body"), ("regionCode", "region_code"),
        ("address", "address"), ("rating", "rating"), ("ratingComment", "rating_comment"),
        ("type", "type"), ("privacy", "privacy"), ("channel", "channel"), ("status", "status"),
        ("escalationLevel", "escalation_level"))},
    **{camel: moment(complaint(name)) for camel, name in (
        ("createdAt", "created_at"), ("updatedAt", "updated_at"), ("verifiedAt", "verified_at"),
        ("dispositionedAt", "dispositioned_at"), ("firstFollowUpAt", "first_follow_up_at"),
        ("resolvedAt", "resolved_at"), ("closedAt", "closed_at"), ("verifyDue", "verify_due"),
        ("followUpDue", "follow_up_due"), ("resolveDue", "resolve_due"), ("answerDue", "answer_due"))},
    "reporterHidden": REPORTER_HIDDEN,
}


def names_reporter(limit: int | None, reporter_role: str = Role.REPORTER.value) -> str:
    """Whether the latest ``limit`` events (None: all) include one by the reporter (for the access log)."""
    return f"EXISTS (SELECT 1 FROM {_latest_events(limit)} WHERE _e.actor_role = {literal(reporter_role)})"


# --- the page -----------------------------------------------------------------------------


@dataclass(slots=True)
class JsonRow:
    """A complaint of the page: what the cursor and the access log need, and its nodes' JSON text."""

    id: int
    values: dict[str, Any]  # the ordering's column, for the cursor
    privacy: Privacy
    shows_reporter: bool
    names_reporter: bool
    nodes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class JsonPage:
    complaints: list[JsonRow]
    has_next_page: bool
    order: ComplaintOrder
    has_previous_page: bool = False  # a forward page: whether it starts after a cursor

    def cursor_of(self, complaint: JsonRow) -> str:
        return Cursor(order=self.order.value, key=(complaint.values[self.order.column.key], complaint.id)).encode()


async def read_page(
    session: AsyncSession, viewer: Viewer, *, where: ComplaintFilter, order: ComplaintOrder, first: int,
    after: str | None, now: datetime, nodes: Sequence[str], events_named: str | None,
) -> JsonPage | None:
    """The page with each node's JSON written by PostgreSQL; ``None`` on another database.

    ``nodes``: one JSON value per node field of the query; ``events_named``: the
    expression saying whether the events read name the reporter (None: no events read)."""
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        return None
    # the same page for the same caller is the same statement: made once (unless it depends on the clock)
    key: Any = (viewer, where, order, first, after, tuple(nodes), events_named) if where.sla_breached is None else None
    try:
        query = _STATEMENTS.get(key) if key is not None else None
    except TypeError:  # a filter holding a list: not kept
        key = query = None
    if query is None:
        query = _statement(viewer, where=where, order=order, first=first, after=after, now=now, nodes=nodes,
                           events_named=events_named)
        if key is not None:
            if len(_STATEMENTS) >= STATEMENTS_KEPT:
                _STATEMENTS.clear()
            _STATEMENTS[key] = query
    name = order.column.key
    rows = [JsonRow(row[0], {name: row[1]}, row[2], row[3], row[4], tuple(row[5:]))
            for row in await connection.execute(query)]
    return JsonPage(complaints=rows[:first], has_next_page=len(rows) > first, order=order,
                    has_previous_page=after is not None)


STATEMENTS_KEPT = 512
_STATEMENTS: dict[Any, Select[Any]] = {}


def _statement(
    viewer: Viewer, *, where: ComplaintFilter, order: ComplaintOrder, first: int, after: str | None, now: datetime,
    nodes: Sequence[str], events_named: str | None,
) -> Select[Any]:
    ids = page_ids(viewer, where, order, first=first, after=after, now=now, dialect="postgresql").add_columns(
        identity_clause(viewer).label("shows_reporter")).subquery("_ids")
    page = PAGE
    key = page.c[order.column.key]
    named = literal_column(events_named, Boolean) if events_named else literal_column("false", Boolean)
    query = (
        select(page.c.id, key.label("sort_key"), page.c.privacy, ids.c.shows_reporter, named.label("names_reporter"),
               *(literal_column(f"({node})::text", Text).label(f"node{i}") for i, node in enumerate(nodes)))
        .select_from(page.join(ids, ids.c.id == page.c.id))
        .order_by(*((key.desc(), page.c.id.desc()) if order.descending else (key.asc(), page.c.id.asc())))
    )
    return query
