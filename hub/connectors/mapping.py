"""Declarative mapping of a regional record onto the national one.

A region's configuration names, for each national field, the path of the
regional field (``pelapor.nama``, ``lokasi.alamat``), the status and category
vocabularies, the date format and the region's time zone. The connector only
extracts raw dicts; :class:`RecordMapper` does the rest, and every failure is a
:class:`MappingError` whose message a regional admin can act on.

Categories: a regional word the map does not list rejects the record with
the reason (kept in ``rejectedRecords``), unless ``default_category`` names
the national category to use instead; a record without a category has none.
Reverse maps (a national status or category to the region's word, for
pushes) are derived from the same vocabularies: the first word that reads
as the national value, unless ``status_words`` / ``category_words`` say
otherwise. Yes/no and privacy words: :mod:`hub.connectors.words`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from hub.connectors.records import RegionalEvent, RegionalRecord, RegionalReporter
from hub.connectors.times import time_parser
from hub.connectors.words import FlagWords, PrivacyWords, UnknownWord, Vocabulary
from hub.domain.vocabulary import ComplaintType, EventKind, Privacy, Status


class MappingError(ValueError):
    """A regional record that cannot be mapped; the message says which field and why."""


MISSING = object()


@lru_cache(maxsize=1024)
def _parts(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def get_path(record: Any, path: str) -> Any:
    """``a.b.0.c`` into nested dicts and lists; :data:`MISSING` when absent."""
    current = record
    for part in _parts(path):
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return MISSING
    return current


class FieldPaths(BaseModel):
    """Where each national field lives in a regional record (dotted paths)."""

    model_config = ConfigDict(extra="forbid")

    source_id: str
    title: str
    body: str
    status: str
    created_at: str
    updated_at: str
    category: str | None = None
    tracking_id: str | None = None
    reporter_name: str | None = None
    reporter_phone: str | None = None
    reporter_email: str | None = None
    anonymous: str | None = None  # a yes/no flag in the region's words
    confidential: str | None = None  # a yes/no flag, or a privacy word such as "rahasia"
    address: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    events: str | None = None  # path of the list of follow-ups / updates


class EventPaths(BaseModel):
    """Where each event field lives inside one element of the events list."""

    model_config = ConfigDict(extra="forbid")

    id: str
    occurred_at: str
    text: str | None = None
    actor: str | None = None
    status: str | None = None


class RecordMapping(BaseModel):
    """The mapping section of a region's configuration."""

    model_config = ConfigDict(extra="forbid")

    fields: FieldPaths
    event_fields: EventPaths | None = None
    statuses: dict[str, Status] = Field(description="regional status word -> national status")
    categories: dict[str, str] = Field(default_factory=dict, description="regional category -> national code")
    default_category: str | None = None  # None: a category word not listed rejects the record
    status_words: dict[Status, str] = Field(default_factory=dict, description="national status -> the word pushed")
    category_words: dict[str, str] = Field(default_factory=dict, description="national category -> the word pushed")
    flag_words: FlagWords | None = None  # the region's yes/no words; None: the common ones
    privacy_words: PrivacyWords = Field(default_factory=PrivacyWords)
    date_format: str = "iso"  # "iso" or a strptime format such as "%d/%m/%Y %H:%M:%S"
    time_zone: str | None = None  # IANA zone for naive local times; defaults to the region's
    type: ComplaintType = ComplaintType.COMPLAINT


class RecordMapper:
    def __init__(self, mapping: RecordMapping, *, zone: ZoneInfo) -> None:
        self.mapping = mapping
        self.zone = ZoneInfo(mapping.time_zone) if mapping.time_zone else zone
        self._statuses = {word.casefold(): status for word, status in mapping.statuses.items()}
        self._categories = {word.casefold(): code for word, code in mapping.categories.items()}
        self.words = Vocabulary(mapping.flag_words, mapping.privacy_words)
        self._read_time = time_parser(mapping.date_format)

    # -- field helpers -------------------------------------------------
    def _required(self, record: Any, name: str, path: str) -> Any:
        value = get_path(record, path)
        if value is MISSING or value is None or (isinstance(value, str) and not value.strip()):
            raise MappingError(f"field `{path}` ({name}) is missing or empty")
        return value

    def _optional(self, record: Any, path: str | None) -> Any:
        if path is None:
            return None
        value = get_path(record, path)
        return None if value is MISSING else value

    def parse_time(self, value: Any, path: str) -> datetime:
        if not isinstance(value, str):
            raise MappingError(f"field `{path}` should be a date-time text, got {value!r}")
        try:
            if self.mapping.date_format == "iso":
                moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            else:
                moment = self._read_time(value.strip())
        except ValueError:
            expected = "ISO 8601" if self.mapping.date_format == "iso" else self.mapping.date_format
            raise MappingError(f"field `{path}` has {value!r}, which is not a date in the format {expected}") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        return moment.astimezone(UTC)

    def status_of(self, word: Any, path: str) -> Status:
        if not isinstance(word, str) or word.strip().casefold() not in self._statuses:
            known = ", ".join(sorted(self.mapping.statuses))
            raise MappingError(f"field `{path}` has status {word!r}, which the region's mapping does not know (known: {known})")
        return self._statuses[word.strip().casefold()]

    def status_of_word(self, word: str) -> Status | None:
        """The national status the region's ``word`` reads as (any case), if the mapping knows it."""
        return self._statuses.get(word.strip().casefold())

    def status_word(self, status: Status) -> str | None:
        """The region's word for a national status: its override, else the first word its mapping reads as ``status``."""
        if status in self.mapping.status_words:
            return self.mapping.status_words[status]
        return next((word for word, national in self.mapping.statuses.items() if national == status), None)

    def category_word(self, code: str | None) -> str | None:
        """The region's word for a national category code: its override, else the first word read as ``code``."""
        if code is None:
            return None
        if code in self.mapping.category_words:
            return self.mapping.category_words[code]
        return next((word for word, national in self.mapping.categories.items() if national == code), None)

    def category_of(self, word: Any, path: str | None = None) -> str | None:
        """The national category of a regional word; unlisted words need ``default_category`` or reject the record."""
        if word is None or (isinstance(word, str) and not word.strip()):
            return self.mapping.default_category
        key = str(word).strip().casefold()
        if key in self._categories:
            return self._categories[key]
        if self.mapping.default_category is not None:
            return self.mapping.default_category
        known = ", ".join(sorted(self.mapping.categories)) or "none"
        raise MappingError(f"field `{path or self.mapping.fields.category}` has category {word!r}, which the region's "
                           f"mapping does not know (known: {known}); add it to mapping.categories or set mapping.default_category")

    def _flag(self, record: Any, path: str | None, *, privacy: bool = False) -> bool:
        value = self._optional(record, path)
        try:
            return self.words.confidential(value) if privacy else self.words.flag(value)
        except UnknownWord as exc:
            raise MappingError(f"field `{path}` has {exc}") from None

    def privacy_of(self, record: Any) -> Privacy:
        """Confidential (rahasia) outranks anonymous: its content is hidden too, not only the reporter."""
        f = self.mapping.fields
        if self._flag(record, f.confidential, privacy=True):
            return Privacy.CONFIDENTIAL
        return Privacy.ANONYMOUS if self._flag(record, f.anonymous) else Privacy.PUBLIC

    @staticmethod
    def _float(value: Any, path: str | None) -> float | None:
        if value in (None, ""):
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise MappingError(f"field `{path}` has {value!r}, which is not a number") from None

    @staticmethod
    def _text(value: Any, path: str) -> str:
        if not isinstance(value, str):
            value = str(value)
        if "\ufffd" in value:
            raise MappingError(f"field `{path}` has characters that are not valid UTF-8")
        return value.strip()

    # -- mapping -------------------------------------------------------
    def map(self, record: Any) -> RegionalRecord:
        if not isinstance(record, Mapping):
            raise MappingError(f"record is a {type(record).__name__}, not an object")
        f = self.mapping.fields
        privacy = self.privacy_of(record)
        reporter = RegionalReporter(
            name=self._optional(record, f.reporter_name),
            phone=self._optional(record, f.reporter_phone),
            email=self._optional(record, f.reporter_email),
        )
        local_status = self._text(self._required(record, "status", f.status), f.status)
        return RegionalRecord(
            source_id=str(self._required(record, "source id", f.source_id)),
            title=self._text(self._required(record, "title", f.title), f.title),
            body=self._text(self._required(record, "body", f.body), f.body),
            status=self.status_of(local_status, f.status),
            local_status=local_status,
            created_at=self.parse_time(self._required(record, "created at", f.created_at), f.created_at),
            updated_at=self.parse_time(self._required(record, "updated at", f.updated_at), f.updated_at),
            category_code=self.category_of(self._optional(record, f.category), f.category),
            type=self.mapping.type,
            privacy=privacy,
            tracking_id=self._optional(record, f.tracking_id) or None,
            reporter=reporter if any((reporter.name, reporter.phone, reporter.email)) else None,
            address=self._optional(record, f.address),
            latitude=self._float(self._optional(record, f.latitude), f.latitude),
            longitude=self._float(self._optional(record, f.longitude), f.longitude),
            events=self.map_events(self._optional(record, f.events)),
        )

    def map_events(self, items: Any) -> tuple[RegionalEvent, ...]:
        paths = self.mapping.event_fields
        if items in (None, []) or paths is None:
            return ()
        if not isinstance(items, list):
            raise MappingError(f"field `{self.mapping.fields.events}` should be a list")
        events = [self.map_event(item, paths) for item in items]
        return tuple(sorted(events, key=lambda e: (e.occurred_at, e.source_event_id)))

    def map_event(self, item: Any, paths: EventPaths) -> RegionalEvent:
        """One follow-up or status update; an event with text is a follow-up."""
        prefix = self.mapping.fields.events

        def given(path: str | None) -> Any:
            value = get_path(item, path) if path else MISSING
            return None if value is MISSING or value == "" else value

        event_id = given(paths.id)
        if event_id is None:
            raise MappingError(f"an element of `{prefix}` has no `{paths.id}`")
        text, status_word, actor = given(paths.text), given(paths.status), given(paths.actor)
        return RegionalEvent(
            source_event_id=str(event_id),
            kind=EventKind.FOLLOW_UP if text is not None else EventKind.STATUS_CHANGED,
            occurred_at=self.parse_time(given(paths.occurred_at), f"{prefix}.{paths.occurred_at}"),
            text=self._text(text, f"{prefix}.{paths.text}") if text is not None else None,
            actor=str(actor) if actor is not None else None,
            status=self.status_of(status_word, f"{prefix}.{paths.status}") if status_word is not None else None,
        )
