"""What a read of complaints returns: plain rows, no ORM instances.

:class:`ComplaintSelection` says what a request selected; :class:`ComplaintRow`
carries the selected columns and the relations read with it. Moments inside
relations read as JSON (sources, timeline events) stay text as the API
writes them, with datetimes on demand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from hub.domain.access import ComplaintFacts
from hub.domain.vocabulary import EventKind, Role, Status
from hub.store.complaint_queries import ComplaintOrder
from hub.store.models import Complaint
from hub.store.pagination import Cursor

ALL_COLUMNS = tuple(column.key for column in Complaint.__table__.columns)
# What scope, cursors and every relation lean on: always read.
# what scope and the default orderings need (a page adds the column its ordering sorts by)
BASE_COLUMNS = ("id", "region_code", "privacy", "agency_id", "reporter_id", "category_code", "created_at", "updated_at")
# What breaches are derived from (hub.store.deadlines.breaches)
BREACH_COLUMNS = ("status", "verify_due", "verified_at", "closed_at", "follow_up_due", "first_follow_up_at",
                  "resolved_at", "resolve_due")


@dataclass(frozen=True, slots=True)
class ComplaintSelection:
    """Which columns and relations of a complaint a request selected."""

    columns: frozenset[str] = frozenset(ALL_COLUMNS)
    region: bool = False
    region_parent: bool = False
    agency: bool = False
    category: bool = False
    reporter: bool = False
    sources: bool = False
    timeline: bool = False
    timeline_last: int | None = None  # the largest ``last`` asked for; None: every event

    def covers_timeline(self, last: int | None) -> bool:
        """Whether the events fetched include the latest ``last`` (None: all)."""
        if not self.timeline:
            return False
        return self.timeline_last is None or (last is not None and last <= self.timeline_last)


@dataclass(slots=True)
class RegionRow:
    code: str
    name: str
    level: Any
    parent_code: str | None
    parent: RegionRow | None = None


@dataclass(slots=True)
class AgencyRow:
    id: int
    name: str
    short_name: str | None
    region_code: str


@dataclass(slots=True)
class CategoryRow:
    code: str
    name: str
    resolve_days: int | None


@dataclass(slots=True)
class SourceRow:
    """A complaint's source; its moments as the API writes them (ISO 8601, UTC), datetimes on demand."""

    source_system: str
    source_id: str
    source_updated: str | None
    first_seen: str
    last_seen: str
    details: str | None = None

    @property
    def source_updated_at(self) -> datetime | None:
        return datetime.fromisoformat(self.source_updated) if self.source_updated is not None else None

    @property
    def first_seen_at(self) -> datetime:
        return datetime.fromisoformat(self.first_seen)

    @property
    def last_seen_at(self) -> datetime:
        return datetime.fromisoformat(self.last_seen)


# The values of a source and of an event, in the order the read statement gives them
SOURCE_ITEM = ("source_system", "source_id", "source_updated", "first_seen", "last_seen", "details")
EVENT_ITEM = ("occurred", "kind", "from_status", "to_status", "text", "actor", "actor_role", "source_system", "recorded",
              "details")


@dataclass(slots=True)
class EventRow:
    """A timeline event; its moments as the API writes them (ISO 8601, UTC), datetimes on demand."""

    kind: EventKind
    from_status: Status | None
    to_status: Status | None
    text: str | None
    actor: str
    actor_role: Role | None
    source_system: str
    occurred: str
    recorded: str
    details: Any = None  # the event's details column: a JSON object, or its text

    @classmethod
    def of_item(cls, e: list[Any]) -> EventRow:
        return cls(
            kind=EventKind(e[1]),
            from_status=Status(e[2]) if e[2] is not None else None,
            to_status=Status(e[3]) if e[3] is not None else None,
            text=e[4],
            actor=e[5],
            actor_role=Role(e[6]) if e[6] is not None else None,
            source_system=e[7],
            occurred=e[0],
            recorded=e[8],
            details=e[9] if len(e) > 9 else None,
        )

    @property
    def occurred_at(self) -> datetime:
        return datetime.fromisoformat(self.occurred)

    @property
    def recorded_at(self) -> datetime:
        return datetime.fromisoformat(self.recorded)


@dataclass(slots=True)
class ReporterRow:
    name: str | None
    phone: str | None
    email: str | None


@dataclass(slots=True)
class ComplaintRow:
    """A complaint as read for the API: the selected columns (others None) and
    the relations fetched with it (``None`` where not fetched)."""

    id: int
    values: dict[str, Any]
    selection: ComplaintSelection
    region: RegionRow | None = None
    agency: AgencyRow | None = None
    category: CategoryRow | None = None
    # sources and events as the statement gave them, lists of values in the
    # order of SOURCE_ITEM and EVENT_ITEM (events oldest first)
    source_items: list[list[Any]] | None = None
    event_items: list[list[Any]] | None = None
    reporter: ReporterRow | None = None
    reporter_visible: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sources(self) -> list[SourceRow] | None:
        return [SourceRow(*item) for item in self.source_items] if self.source_items is not None else None

    @property
    def events(self) -> list[EventRow] | None:
        return [EventRow.of_item(item) for item in self.event_items] if self.event_items is not None else None

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def facts(self) -> ComplaintFacts:
        v = self.values
        return ComplaintFacts(region_code=v["region_code"], privacy=v["privacy"], agency_id=v["agency_id"],
                              reporter_id=v["reporter_id"], id=v.get("id"))


@dataclass(frozen=True, slots=True)
class PageOfRows:
    complaints: list[ComplaintRow]
    has_next_page: bool
    order: ComplaintOrder
    has_previous_page: bool = False

    def cursor_of(self, complaint: ComplaintRow) -> str:
        if self.order.ranked:  # the search's score, then the tie-breakers (hub.store.complaint_reads._ranked_ids)
            return Cursor(order=self.order.value,
                          key=(complaint.extra["rank"], complaint.values["created_at"], complaint.id)).encode()
        return Cursor(order=self.order.value, key=(complaint.values[self.order.column.key], complaint.id)).encode()


def source_details(details: str | dict[str, Any] | None) -> list[tuple[str, str]]:
    """A ``details`` column (a JSON object, or its text) as (name, value) pairs of its plain values, by name."""
    if not details:
        return []
    found = orjson.loads(details) if isinstance(details, str | bytes) else details
    if not isinstance(found, dict):
        return []
    return sorted((str(name), value if isinstance(value, str) else orjson.dumps(value).decode())
                  for name, value in found.items() if value is not None and not isinstance(value, dict | list))


def regional_details(details: str | dict[str, Any] | None) -> list[tuple[str, str]]:
    """What a region said of an event (its details' ``regional`` object) as (name, value) pairs; the hub's
    own details of an event (an action, a rating) are not among them."""
    if not details:
        return []
    found = orjson.loads(details) if isinstance(details, str | bytes) else details
    return source_details(found.get("regional")) if isinstance(found, dict) else []


def details_text(details: Iterable[tuple[str, str]]) -> str | None:
    """(name, value) pairs as the ``details`` column keeps them; None when there are none."""
    pairs = dict(details)
    return orjson.dumps(pairs, option=orjson.OPT_SORT_KEYS).decode() if pairs else None
