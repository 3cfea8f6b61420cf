"""The protocol every connector speaks, and how connector types are found.

A connector is a thin wire client for one protocol family plus the region's
declarative mapping (:mod:`hub.connectors.mapping`). The sync engine owns
cursors, retries, transactions and locks, once, for every connector; a
connector only has to:

- ``pull(cursor)``: fetch one page of records changed since ``cursor`` and
  return them mapped (or rejected, with a reason) with the next cursor;
- ``push(delivery)``: deliver one typed change (:mod:`hub.domain.changes`)
  to the regional app;
- ``health()``: say whether the regional app answers.

Connector types are registered under the entry point group
``lapor_hub.connectors``; another package adds a type by declaring one there.
"""

from __future__ import annotations

import abc
import functools
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Any, ClassVar

import httpx
from pydantic import BaseModel

from hub.connectors.records import FatalError, PullPage, RetryableError
from hub.domain.changes import OutboundChange
from hub.domain.vocabulary import Status

if TYPE_CHECKING:
    from hub.connectors.registry import RegionConfig

ENTRY_POINT_GROUP = "lapor_hub.connectors"


@dataclass(frozen=True, slots=True)
class Health:
    healthy: bool
    detail: str
    latency_ms: float | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    """One outbox row on its way to a region: the typed change and how to address it there."""

    change: OutboundChange
    idempotency_key: str  # sent with every attempt, so the region applies the change once
    source_id: str | None  # the complaint's id in the region, once known


@dataclass(frozen=True, slots=True)
class PushResult:
    source_id: str | None  # the regional id the app gave the complaint
    detail: str = ""
    event_id: str | None = None  # the regional id of the follow-up or comment it became


class PushNotSupported(FatalError):
    """The regional app accepts no writes (e.g. a CSV export)."""


class Connector(abc.ABC):
    """Base class for connector types."""

    #: pydantic model of this type's ``options`` table in the region file
    Options: ClassVar[type[BaseModel]]
    #: whether ``push`` can deliver anything
    accepts_writes: ClassVar[bool] = True

    def __init__(self, region: RegionConfig, *, client: httpx.AsyncClient, secrets: dict[str, str]) -> None:
        from hub.connectors.mapping import RecordMapper
        from hub.domain.regions import timezone_for

        self.region = region
        self.client = client
        self.secrets = secrets
        self.options = self.Options.model_validate(region.options)
        self.mapper = RecordMapper(region.mapping, zone=timezone_for(region.code))

    @abc.abstractmethod
    async def pull(self, cursor: dict[str, Any] | None, *, page_size: int) -> PullPage: ...

    async def push(self, delivery: Delivery) -> PushResult:
        raise PushNotSupported(f"{self.region.connector} region {self.region.code} accepts no writes")

    def echo_of(self, status: Status) -> Status | None:
        """The national status this region reports back once it has taken a change to ``status``.

        A region whose vocabulary is coarser than the nation's says something
        else (a mySociety server takes POSTPONED as ``investigating``, read back
        as VERIFIED): that is the hub's own change coming back, not the region
        moving the complaint (:mod:`hub.sync.reconcile`). ``None``: it has no word.
        """
        return status

    @abc.abstractmethod
    async def health(self) -> Health: ...

    # -- shared wire helpers ---------------------------------------------
    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One HTTP request, with errors sorted into retryable and fatal.

        Every error names the region and quotes what the server said
        (:mod:`hub.connectors.errors`); an HTML page where data belongs (a
        maintenance or login page, often with status 200) is retryable, a 4xx
        other than 429 is :class:`~hub.connectors.errors.ServerRefused`.
        """
        from hub.connectors import errors

        try:
            response = await self.client.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise RetryableError(f"{errors.region_label(self.region)}: {method} {url} timed out "
                                 f"({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise RetryableError(f"{errors.region_label(self.region)}: {method} {url} failed: {exc!r}") from None
        if response.status_code == 429 or response.status_code >= 500:
            raise RetryableError(errors.error_line(self.region, method, url, response), retry_after=_retry_after(response))
        if response.status_code >= 400:
            raise errors.ServerRefused(errors.error_line(self.region, method, url, response), status=response.status_code,
                                       xml=response.content[:100].lstrip().startswith(b"<") and not errors.is_html(response))
        if errors.is_html(response):
            raise RetryableError(errors.html_instead_of_data(self.region, method, url, response))
        return response


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, (moment - datetime.now(moment.tzinfo)).total_seconds())


@functools.cache
def _installed() -> tuple[EntryPoint, ...]:
    """The entry points of installed connector types, read once a process: reading the installed
    packages' metadata costs tens of milliseconds, and a worker looks a type up on every run."""
    return tuple(entry_points(group=ENTRY_POINT_GROUP))


def connector_names() -> list[str]:
    """Names of the installed connector types (entry point group ``lapor_hub.connectors``)."""
    return sorted({entry.name for entry in _installed()})


def load_connector_type(name: str) -> type[Connector]:
    """The connector class registered as ``name``; a clear error if it is missing or broken."""
    for entry in (entry for entry in _installed() if entry.name == name):
        try:
            loaded = entry.load()
        except Exception as exc:  # a broken plug-in must name itself
            raise FatalError(f"connector type {name!r} ({entry.value}) cannot be loaded: {exc}") from exc
        if not (isinstance(loaded, type) and issubclass(loaded, Connector)):
            raise FatalError(f"connector type {name!r} ({entry.value}) is not a Connector subclass")
        return loaded
    raise FatalError(f"unknown connector type {name!r} (installed: {', '.join(connector_names())})")
