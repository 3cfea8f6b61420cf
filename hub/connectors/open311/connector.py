"""Open311 GeoReport v2 connector, for the servers deployed in the field.

Pull, by ``options.paging``:

- ``extension``: ``GET requests?updated_after=<since>&page=N&page_size=M``,
  following :mod:`hub.connectors.paging`. A page that returns the very
  requests the page before it returned, once the page number moved, means
  the server ignores paging: the run ends with an error that says so
  (declare ``paging = "windows"`` for such a server).
- ``windows``: GeoReport v2 as specified; see
  :mod:`hub.connectors.open311.windows`. An incremental run walks the
  windows since the last run for new requests, then, when the server has a
  change feed (``servicerequestupdates``), reads the updates since the last
  run and re-reads each request they name with ``GET requests/{id}`` (a 404
  there rejects that request, not the run). A server with neither a feed
  nor ``incremental_reads`` (or whose feed answers 404) is walked back to
  its history on every run; unchanged requests are skipped by their digest.

The updates of each page's requests are attached under ``updates`` before
mapping: by ``service_request_id`` (``updates = "read"``) or by
``start_date`` / ``end_date`` windows from the page's oldest request
(``"mysociety"``, cached for the run). A 404 from ``servicerequestupdates``
means the server has none: the run carries on without them.

Every call carries ``jurisdiction_id`` when the region declares one, and is
read as JSON or XML (:mod:`hub.connectors.open311.wire`).

A request is prepared before mapping (:func:`prepared`): GeoReport has no
title, so the first line of ``description`` (or its first sentence) becomes
``_title``; an empty ``description`` becomes the region's placeholder (the
title is then the ``service_name``); an empty ``updated_datetime`` becomes
``requested_datetime``. The GeoReport fields beyond the national ones are
kept on the complaint's source copy (:data:`KEPT_FIELDS`).

Push: :mod:`hub.connectors.open311.push`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from pydantic import BaseModel

from hub.connectors.base import Connector, Delivery, Health, PushResult
from hub.connectors.errors import ServerRefused, region_label, unreadable_line
from hub.connectors.mapping import MISSING, MappingError, get_path
from hub.connectors.open311.options import Open311Options
from hub.connectors.open311.windows import Walk
from hub.connectors.open311.wire import FORMATS, Unreadable, formatted, items_of, looks_like_xml, suffix_of
from hub.connectors.paging import next_cursor, refuse_repeat
from hub.connectors.records import FatalError, PullPage, RegionalRecord, Rejection
from hub.domain.vocabulary import Status

log = logging.getLogger("hub.connectors.open311")

# GeoReport fields kept on the complaint's source copy as the region said them.
KEPT_FIELDS = ("status_notes", "agency_responsible", "service_notice", "expected_datetime", "media_url", "address",
               "zipcode", "address_id", "service_name")
# Update fields kept on the event: the extended status and the back office's own code for it.
KEPT_UPDATE_FIELDS = ("status", "external_status_code", "media_url")


def title_of(description: str, limit: int = 150) -> str:
    text = description.strip()
    first = text.split("\n", 1)[0].strip() if "\n" in text else text.split(". ", 1)[0].strip()
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def prepared(item: dict[str, Any], updates: list[Any], *, placeholder: str) -> dict[str, Any]:
    """A request as the mapping reads it: gaps filled as a person would, updates attached."""
    raw = dict(item)
    if not _given(raw.get("updated_datetime")) and _given(raw.get("requested_datetime")):
        raw["updated_datetime"] = raw["requested_datetime"]
    description = raw.get("description")
    if isinstance(description, str) and description.strip():
        raw["_title"] = title_of(description)
    else:
        raw["description"] = placeholder
        raw["_title"] = raw.get("service_name") if _given(raw.get("service_name")) else placeholder
    raw["_details"] = {name: str(raw[name]) for name in KEPT_FIELDS if _given(raw.get(name))}
    raw["updates"] = updates
    return raw


def _parse_moment(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _ids_of(items: list[Any]) -> list[str]:
    return [str(item["service_request_id"]) for item in items
            if isinstance(item, dict) and _given(item.get("service_request_id"))]


def _digest(ids: list[str]) -> str:
    return hashlib.sha256(",".join(sorted(ids)).encode()).hexdigest()[:16]


class Open311Connector(Connector):
    Options: ClassVar[type[BaseModel]] = Open311Options
    options: Open311Options

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.format: str | None = None if self.options.format == "auto" else self.options.format
        self.updates_absent = not self.options.reads_updates
        self._feed: dict[str, list[Any]] = defaultdict(list)  # mysociety updates read this run, by request
        self._feed_from: datetime | None = None  # they cover feed_from .. now

    # -- the wire --------------------------------------------------------
    def _params(self, **params: Any) -> dict[str, Any]:
        if self.options.jurisdiction_id:
            params["jurisdiction_id"] = self.options.jurisdiction_id
        return params

    def url(self, path: str) -> str:
        return f"{self.region.base_url}{formatted(path, self.format or suffix_of(path) or 'json')}"

    async def call(self, method: str, path: str, **kwargs: Any) -> list[Any]:
        """One call, answered as a list of items in JSON or XML; ``auto`` follows an XML-only server."""
        try:
            response = await self.request(method, self.url(path), **kwargs)
        except ServerRefused as exc:
            if self.format is None and exc.xml and exc.status in (400, 404) and (suffix_of(path) or "json") == "json":
                self.format = "xml"  # an XML-only server answers .json in its own format
                log.info("%s answers XML only; reading it as XML", region_label(self.region))
                response = await self.request(method, self.url(path), **kwargs)
            else:
                raise
        if self.format is None and looks_like_xml(response):
            self.format = "xml"
        try:
            return items_of(response)
        except Unreadable:
            raise FatalError(unreadable_line(self.region, method, response.url, response, " or ".join(FORMATS).upper())) from None

    async def get(self, path: str, params: dict[str, Any]) -> list[Any]:
        return await self.call("GET", path, params=self._params(**params))

    # -- updates ---------------------------------------------------------
    async def _updates_get(self, params: dict[str, Any]) -> list[Any]:
        assert self.options.updates_path is not None
        try:
            return await self.get(self.options.updates_path, params)
        except ServerRefused as exc:
            if exc.status != 404:
                raise
            self.updates_absent = True
            log.info("%s has no servicerequestupdates (404); reading requests without updates", region_label(self.region))
            return []

    async def _feed_since(self, start: datetime) -> None:
        """mySociety updates from ``start`` to now, in windows the server takes, added to the run's feed."""
        now = datetime.now(UTC) + timedelta(hours=1)
        end = self._feed_from or now
        step = timedelta(days=self.options.window_days)
        while end > start and not self.updates_absent:
            begin = max(start, end - step)
            for update in await self._updates_get({"start_date": begin.isoformat(), "end_date": end.isoformat()}):
                if isinstance(update, dict):
                    self._feed[str(update.get("service_request_id"))].append(update)
            end = begin
            self._feed_from = begin

    async def updates_for(self, items: list[Any]) -> dict[str, list[Any]]:
        ids = _ids_of(items)
        if not ids or self.updates_absent:
            return {}
        if self.options.updates == "mysociety":
            requested = [m for item in items if isinstance(item, dict) and (m := _parse_moment(item.get("requested_datetime")))]
            if requested:
                oldest = min(requested)
                if self._feed_from is None or oldest < self._feed_from:
                    await self._feed_since(oldest)
            return {i: self._unique(self._feed.get(i, [])) for i in ids}
        found: dict[str, list[Any]] = defaultdict(list)
        for update in await self._updates_get({"service_request_id": ",".join(ids)}):
            if isinstance(update, dict):
                found[str(update.get("service_request_id"))].append(update)
        return found

    @staticmethod
    def _unique(updates: list[Any]) -> list[Any]:
        seen: dict[str, Any] = {}
        for update in updates:
            seen.setdefault(str(update.get("update_id")), update)
        return list(seen.values())

    # -- mapping ---------------------------------------------------------
    def _map(self, items: list[Any], updates: dict[str, list[Any]]) -> tuple[list[RegionalRecord], list[Rejection]]:
        records: list[RegionalRecord] = []
        rejections: list[Rejection] = []
        for item in items:
            source_id = get_path(item, self.mapper.mapping.fields.source_id) if isinstance(item, dict) else MISSING
            try:
                if not isinstance(item, dict):
                    raise MappingError(f"record is a {type(item).__name__}, not an object")
                raw = prepared(item, updates.get(str(source_id), []), placeholder=self.options.description_placeholder)
                record = self._with_update_details(self.mapper.map(raw), raw["updates"])
                if self.options.status_from_updates:
                    said = [e.status for e in record.events if e.status is not None]
                    if said:
                        record = dataclasses.replace(record, status=said[-1])
                records.append(dataclasses.replace(record, details=tuple(sorted(raw["_details"].items()))))
            except MappingError as exc:
                rejections.append(Rejection(source_id=None if source_id is MISSING else str(source_id), reason=str(exc), raw=item))
        return records, rejections

    def _with_update_details(self, record: RegionalRecord, updates: list[Any]) -> RegionalRecord:
        """Each event with the fields of its update the mapping has no place for (:data:`KEPT_UPDATE_FIELDS`)."""
        paths = self.mapper.mapping.event_fields
        if not record.events or paths is None:
            return record
        by_id = {str(got): u for u in updates if isinstance(u, dict) and (got := get_path(u, paths.id)) is not MISSING}
        events = []
        for event in record.events:
            update = by_id.get(event.source_event_id, {})
            kept = tuple((name, str(update[name])) for name in KEPT_UPDATE_FIELDS if _given(update.get(name)))
            events.append(dataclasses.replace(event, details=kept) if kept else event)
        return dataclasses.replace(record, events=tuple(events))

    # -- pull --------------------------------------------------------------
    async def pull(self, cursor: dict[str, Any] | None, *, page_size: int) -> PullPage:
        cursor = dict(cursor or {})
        if self.options.paging == "windows":
            return await self._pull_windows(cursor, page_size)
        return await self._pull_pages(cursor, page_size)

    async def _pull_pages(self, cursor: dict[str, Any], page_size: int) -> PullPage:
        page = int(cursor.get("page", 1))
        params: dict[str, Any] = {self.options.page_param: page, self.options.page_size_param: page_size}
        if cursor.get("since"):
            params[self.options.since_param] = cursor["since"]
        items = await self.get(self.options.requests_path, params)
        ids = _ids_of(items)
        if ids and page > 1 and cursor.get("answer") == _digest(ids):
            raise FatalError(
                f"{region_label(self.region)}: page {page} of requests returned the same {len(ids)} requests as "
                f"page {page - 1}; the server ignores paging ({self.options.page_param}, {self.options.since_param}), "
                'so the run stops here; declare options.paging = "windows" for it')
        records, rejections = self._map(items, await self.updates_for(items))
        following, more = next_cursor(cursor, records, full_page=len(items) >= page_size)
        refuse_repeat(self.region.code, cursor, following, more)
        if more:
            following["answer"] = _digest(ids)
        return PullPage(records=records, rejections=rejections, next_cursor=following, more=more)

    def _begin_walk(self, cursor: dict[str, Any], *, feedless: bool = False) -> dict[str, Any]:
        """A new walk: since the last run when changes can be read otherwise, else back to the history."""
        now = datetime.now(UTC)
        since = cursor.get("since")
        feed = self.options.incremental_reads or not (self.updates_absent or feedless)
        floor = datetime.fromisoformat(since) if since and feed else self.options.history_from
        if floor is not None and floor.tzinfo is None:
            floor = floor.replace(tzinfo=UTC)
        walk = Walk.begin(now, days=self.options.window_days, floor=floor,
                          stop_after_empty=self.options.empty_windows_to_stop)
        return {"since": since, "until": now.isoformat(), "incremental": bool(since), "walk": walk.dump(),
                **({"feedless": True} if feedless else {})}

    def _walk_again_without_feed(self, cursor: dict[str, Any]) -> dict[str, Any]:
        """The updates feed turned out to be missing (404): what changed can only be found by reading it all."""
        log.info("%s: no servicerequestupdates to find changed requests by; reading back to its history",
                 region_label(self.region))
        return {**self._begin_walk({"since": cursor["since"]}, feedless=True), "until": cursor["until"]}

    async def _pull_windows(self, cursor: dict[str, Any], page_size: int) -> PullPage:
        if "walk" not in cursor and "changed" not in cursor:
            cursor = self._begin_walk(cursor)
        if "walk" in cursor:
            walk = Walk.load(cursor["walk"])
            start, end = walk.current()
            params: dict[str, Any] = {"start_date": start.isoformat(), "end_date": end.isoformat()}
            if cursor["incremental"] and self.options.incremental_reads:
                params[self.options.since_param] = cursor["since"]
            items = await self.get(self.options.requests_path, params)
            requested = [_parse_moment(item.get("requested_datetime")) if isinstance(item, dict) else None for item in items]
            walk.advance(self.region.code, [m for m in requested if m is not None], _ids_of(items), cap=self.options.cap)
            records, rejections = self._map(items, await self.updates_for(items))
            following = {**cursor, "walk": walk.dump()}
            if walk.done:
                del following["walk"]
                if cursor["incremental"] and not self.options.incremental_reads and not cursor.get("feedless"):
                    if self.updates_absent:
                        following = self._walk_again_without_feed(cursor)
                    else:
                        following["changed"] = None  # next: the requests the updates feed names
                else:
                    return self._page(records, rejections, {"since": cursor["until"]}, more=False)
            return self._page(records, rejections, following, more=True)
        return await self._pull_changed(cursor, page_size)

    async def _pull_changed(self, cursor: dict[str, Any], page_size: int) -> PullPage:
        """Re-read, one by one, the requests the updates feed names since the last run."""
        pending: list[str] | None = cursor.get("changed")
        if pending is None:
            pending = await self._changed_since(datetime.fromisoformat(cursor["since"]))
            if self.updates_absent:
                return self._page([], [], self._walk_again_without_feed(cursor), more=True)
        batch, rest = pending[:page_size], pending[page_size:]
        items: list[Any] = []
        gone: list[Rejection] = []
        for request_id in batch:
            try:
                items.extend(await self.get(f"{self._request_base()}/{request_id}", {}))
            except ServerRefused as exc:
                if exc.status != 404:
                    raise
                gone.append(Rejection(source_id=request_id, reason=str(exc), raw={"service_request_id": request_id}))
        records, rejections = self._map(items, await self.updates_for(items))
        if rest:
            return self._page(records, rejections + gone, {**cursor, "changed": rest}, more=True)
        return self._page(records, rejections + gone, {"since": cursor["until"]}, more=False)

    def _request_base(self) -> str:
        path = self.options.requests_path
        return path[: -len(suffix) - 1] if (suffix := suffix_of(path)) else path

    async def _changed_since(self, since: datetime) -> list[str]:
        if self.options.updates == "mysociety":
            await self._feed_since(since)
            updates = [u for found in self._feed.values() for u in found]
        else:
            updates = await self._updates_get({"start_date": since.isoformat(),
                                               "end_date": (datetime.now(UTC) + timedelta(hours=1)).isoformat()})
        ids: dict[str, None] = {}
        for update in updates:
            moment = _parse_moment(update.get("updated_datetime")) if isinstance(update, dict) else None
            if moment is not None and moment >= since and _given(update.get("service_request_id")):
                ids[str(update["service_request_id"])] = None
        return list(ids)

    @staticmethod
    def _page(records: list[RegionalRecord], rejections: list[Rejection], following: dict[str, Any], *,
              more: bool) -> PullPage:
        return PullPage(records=records, rejections=rejections, next_cursor=following, more=more)

    # -- push and health -----------------------------------------------------
    def echo_of(self, status: Status) -> Status | None:
        """What a mySociety server reads back after the hub posts ``status`` (its extended word, mapped)."""
        if self.options.updates != "mysociety":
            return status
        return self.mapper.status_of_word(self.options.posted_status(status))

    async def push(self, delivery: Delivery) -> PushResult:
        from hub.connectors.open311.push import push

        return await push(self, delivery)

    async def health(self) -> Health:
        started = time.perf_counter()
        try:
            await self.get(self.options.services_path, {})
        except Exception as exc:  # any failure is unhealthy, with the reason
            return Health(healthy=False, detail=str(exc))
        return Health(healthy=True, detail="ok", latency_ms=(time.perf_counter() - started) * 1000)
