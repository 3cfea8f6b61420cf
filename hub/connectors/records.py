"""What a connector hands the sync engine: regional records mapped onto the
national vocabulary, or the reason one could not be mapped.

Exception hierarchy of a pull::

    ConnectorError
    ├── RetryableError     connection errors, timeouts, 5xx, 429: try again later
    └── FatalError         401/403/404, a protocol the region does not speak: a person must act
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hub.domain.vocabulary import Channel, ComplaintType, EventKind, Privacy, Status


class ConnectorError(Exception):
    pass


class RetryableError(ConnectorError):
    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class FatalError(ConnectorError):
    pass


@dataclass(frozen=True, slots=True)
class RegionalEvent:
    """A status change, follow-up or comment as the regional app recorded it."""

    source_event_id: str
    kind: EventKind
    occurred_at: datetime
    text: str | None = None
    actor: str | None = None
    status: Status | None = None  # the national status the region says it moved to
    # what the region says of the event beyond these (an Open311 update's status, external_status_code): name -> text
    details: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class RegionalReporter:
    name: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class RegionalRecord:
    """One complaint as a regional app holds it, mapped onto national terms."""

    source_id: str
    title: str
    body: str
    status: Status
    created_at: datetime
    updated_at: datetime
    category_code: str | None = None
    type: ComplaintType = ComplaintType.COMPLAINT
    privacy: Privacy = Privacy.PUBLIC
    channel: Channel = Channel.REGIONAL_APP
    tracking_id: str | None = None  # the national id, when the region echoes it
    local_status: str | None = None  # the region's own word, kept for the timeline
    reporter: RegionalReporter | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    events: tuple[RegionalEvent, ...] = ()
    # what the region says beyond the national fields (GeoReport's status_notes, zipcode, ...): name -> text
    details: tuple[tuple[str, str], ...] = ()

    def content_hash(self) -> str:
        """A digest of everything the hub stores; equal digests mean nothing changed.

        The dataclass ``repr`` names every field, nested events and reporter
        included, in a fixed order, so it serves as a canonical form. Empty
        ``details`` (of the record and its events) leave it as it was before
        they existed, so stored digests stay valid.
        """
        text = repr(self).replace(", details=()", "")
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Rejection:
    """A regional record that could not be mapped; kept with its raw payload."""

    source_id: str | None
    reason: str
    raw: Any


@dataclass(frozen=True, slots=True)
class PullPage:
    records: list[RegionalRecord] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    next_cursor: dict[str, Any] = field(default_factory=dict)  # stored after this page is applied
    more: bool = False  # whether this run should fetch another page

    @property
    def seen(self) -> int:
        return len(self.records) + len(self.rejections)
