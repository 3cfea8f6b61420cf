"""The generic JSON REST connector: everything regional comes from the region file.

Reading: :mod:`.paging` (paging style and order), :mod:`.auth` (who we are);
each record is mapped by the region's mapping (:mod:`hub.connectors.mapping`).
Writing: bodies from the region's templates (:mod:`.bodies`). A submission is
POSTed to ``create_path``; a status change goes to ``status_path`` when the
region has one and a word for the new status, every other change (and every
change, for a region without ``status_path``) becomes a response
(tanggapan) on ``follow_up_path``. Every request of a push carries the
change's ``Idempotency-Key``.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any, ClassVar

import httpx
from pydantic import BaseModel

from hub.connectors.base import Connector, Delivery, Health, PushResult
from hub.connectors.errors import unreadable_line
from hub.connectors.mapping import MISSING, MappingError, get_path
from hub.connectors.records import FatalError, PullPage, RegionalRecord, Rejection
from hub.connectors.rest.auth import Credentials, credentials
from hub.connectors.rest.bodies import change_fields, render, submission_fields
from hub.connectors.rest.options import RestOptions
from hub.connectors.rest.paging import advance, check_order, digest, next_position, request_for
from hub.domain.changes import AddDetailChange, CommentChange, FollowUpChange, RateChange, SubmitChange
from hub.domain.vocabulary import Status

# Changes that are words for the complaint, not a move of its status.
FOLLOW_UP_KINDS = (FollowUpChange, CommentChange, AddDetailChange, RateChange)


class RestConnector(Connector):
    Options: ClassVar[type[BaseModel]] = RestOptions
    options: RestOptions

    def _credentials(self) -> Credentials:
        return credentials(self.options, self.secrets, self.region.code)

    async def _call(self, method: str, url: str, *, params: dict[str, Any] | None = None,
                    headers: dict[str, str] | None = None, json: Any = None) -> httpx.Response:
        given = self._credentials()
        kwargs: dict[str, Any] = {"params": {**(params or {}), **given.params} or None,
                                  "headers": {**(headers or {}), **given.headers}}
        if json is not None:
            kwargs["json"] = json
        if given.auth is not None:
            kwargs["auth"] = given.auth
        return await self.request(method, url, **kwargs)

    def _url(self, path: str) -> str:
        return f"{self.region.base_url}{path}"

    def _since_text(self, since: str) -> str:
        moment = datetime.fromisoformat(since)
        if self.options.since_format == "iso":
            return moment.isoformat()
        return moment.astimezone(self.mapper.zone).strftime(self.options.since_format)

    def _since_floor(self, text: str | None) -> datetime | None:
        """The earliest update time an app honouring ``since_param`` may answer (as precise as its format)."""
        if text is None or not self.options.since_param:
            return None
        if self.options.since_format == "iso":
            return datetime.fromisoformat(text)
        return datetime.strptime(text, self.options.since_format).replace(tzinfo=self.mapper.zone)

    async def pull(self, cursor: dict[str, Any] | None, *, page_size: int) -> PullPage:
        cursor = dict(cursor or {})
        since_text = self._since_text(cursor["since"]) if cursor.get("since") else None
        url, params = request_for(self.options, self.region.base_url, cursor, page_size=page_size, since_text=since_text)
        response = await self._call("GET", url, params=params)
        try:
            body = response.json()
        except ValueError:
            raise FatalError(unreadable_line(self.region, "GET", response.url, response, "JSON")) from None
        items = get_path(body, self.options.records_path) if self.options.records_path else body
        if items is MISSING or not isinstance(items, list):
            raise FatalError(f"region {self.region.code}: answer of {self.options.list_path} has no list at "
                             f"`{self.options.records_path}`")
        records: list[RegionalRecord] = []
        rejections: list[Rejection] = []
        for item in items:
            try:
                records.append(self.mapper.map(item))
            except MappingError as exc:
                source_id = get_path(item, self.mapper.mapping.fields.source_id) if isinstance(item, dict) else MISSING
                rejections.append(Rejection(source_id=None if source_id is MISSING else str(source_id), reason=str(exc), raw=item))
        check_order(self.options, self.region.code, records)
        following = next_position(self.options, cursor, response, body, served=len(items), page_size=page_size)
        next_cursor, more = advance(self.options, self.region.code, cursor, records, following=following,
                                    page_digest=digest(items), since_floor=self._since_floor(since_text))
        return PullPage(records=records, rejections=rejections, next_cursor=next_cursor, more=more)

    def echo_of(self, status: Status) -> Status | None:
        """What the app reads back after the hub writes ``status`` in its word (``None``: it has no word)."""
        word = self.mapper.status_word(status)
        return self.mapper.status_of_word(word) if word is not None else None

    async def push(self, delivery: Delivery) -> PushResult:
        change = delivery.change
        headers = {"Idempotency-Key": delivery.idempotency_key}
        if isinstance(change, SubmitChange):
            if not self.options.create_path:
                raise FatalError(f"region {self.region.code} has no create_path configured")
            fields = submission_fields(change, category_word=self.mapper.category_word(change.category_code),
                                       words=self.mapper.words)
            response = await self._call("POST", self._url(self.options.create_path), json=render(self.options.create_fields, fields),
                                        headers=headers)
            source_id = get_path(_json(response), self.options.create_id_path or self.mapper.mapping.fields.source_id)
            return PushResult(source_id=None if source_id in (MISSING, None) else str(source_id), detail="created")
        if delivery.source_id is None:
            raise FatalError(f"region {self.region.code} cannot take {change.kind} changes yet (no regional id)")
        word = self.mapper.status_word(change.status)
        values = change_fields(change, status_word=word, source_id=delivery.source_id)
        if self.options.status_path and word is not None and not isinstance(change, FOLLOW_UP_KINDS):
            url = self._url(self.options.status_path.format(source_id=delivery.source_id))
            await self._call(self.options.status_method, url, json=render(self.options.status_fields, values), headers=headers)
            return PushResult(source_id=delivery.source_id, detail=f"{change.kind} delivered as status {word!r}")
        if not self.options.follow_up_path:
            raise FatalError(f"region {self.region.code} has no follow_up_path configured; cannot take {change.kind}")
        url = self._url(self.options.follow_up_path.format(source_id=delivery.source_id))
        response = await self._call("POST", url, json=render(self.options.follow_up_fields, values), headers=headers)
        event_id = get_path(_json(response), self.options.follow_up_id_path)
        return PushResult(source_id=delivery.source_id, detail=f"{change.kind} delivered",
                          event_id=None if event_id in (MISSING, None) else str(event_id))

    async def health(self) -> Health:
        started = time.perf_counter()
        try:
            if self.options.health_path:
                await self._call("GET", self._url(self.options.health_path))
            else:
                url, params = request_for(self.options, self.region.base_url, {}, page_size=1, since_text=None)
                await self._call("GET", url, params=params)
        except Exception as exc:  # any failure is unhealthy, with the reason
            return Health(healthy=False, detail=str(exc))
        return Health(healthy=True, detail="ok", latency_ms=(time.perf_counter() - started) * 1000)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
