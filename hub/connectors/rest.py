"""Generic JSON REST connector: everything regional comes from configuration.

Options (``[regions.options]`` in the region file)::

    list_path        = "/api/v1/laporan"     # GET, paged
    page_param       = "page"                # page-number pagination
    page_size_param  = "per_page"
    since_param      = "updated_since"       # records updated at or after
    since_format     = "%d/%m/%Y %H:%M:%S"   # in the region's time zone; "iso" for ISO 8601
    records_path     = "data"                # where the list of records is in the answer
    total_pages_path = "meta.total_pages"    # optional; else a short page ends the run
    auth_header      = "X-API-Key"           # sent with credentials.api_key
    create_path      = "/api/v1/laporan"     # POST a new complaint (push)
    follow_up_path   = "/api/v1/laporan/{source_id}/tanggapan"
    health_path      = "/api/v1/laporan?per_page=1"

Paging follows :mod:`hub.connectors.paging`.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, field_validator

from hub.connectors.base import Connector, Delivery, Health, PushResult
from hub.connectors.errors import unreadable_line
from hub.connectors.mapping import MappingError, get_path, MISSING
from hub.connectors.paging import next_cursor, refuse_repeat
from hub.connectors.records import FatalError, PullPage, Rejection, RegionalRecord
from hub.domain.changes import ReporterContact, SubmitChange, summary

SUBMISSION_FIELDS = (
    "tracking_id", "title", "body", "category", "category_code", "category_name", "type", "privacy", "channel",
    "anonymous", "confidential", "reporter_name", "reporter_phone", "reporter_email", "address", "latitude",
    "longitude", "submitted_at", "attachment_urls",
)


def submission_fields(change: SubmitChange, *, category_word: str | None) -> dict[str, Any]:
    """What a submission offers a region's create body, by name (``category`` is the region's own word)."""
    reporter = change.reporter or ReporterContact()
    return {
        "tracking_id": change.tracking_id, "title": change.title, "body": change.body,
        "category": category_word, "category_code": change.category_code, "category_name": change.category_name,
        "type": change.type.value, "privacy": change.privacy.value, "channel": change.channel.value,
        "anonymous": change.anonymous, "confidential": change.confidential,
        "reporter_name": reporter.name, "reporter_phone": reporter.phone, "reporter_email": reporter.email,
        "address": change.address, "latitude": change.latitude, "longitude": change.longitude,
        "submitted_at": change.occurred_at.isoformat(),
        "attachment_urls": [link.url for link in change.attachments],  # signed links the region fetches the files by
    }


class RestOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    list_path: str
    page_param: str = "page"
    page_size_param: str = "per_page"
    since_param: str = "updated_since"
    since_format: str = "iso"
    records_path: str = "data"
    total_pages_path: str | None = None
    auth_header: str | None = None
    create_path: str | None = None
    follow_up_path: str | None = None
    health_path: str | None = None
    create_fields: dict[str, str] = {}  # payload path -> a name of SUBMISSION_FIELDS

    @field_validator("create_fields")
    @classmethod
    def _known_sources(cls, fields: dict[str, str]) -> dict[str, str]:
        unknown = sorted({source for source in fields.values() if source not in SUBMISSION_FIELDS})
        if unknown:
            raise ValueError(f"create_fields name {', '.join(unknown)}, which a submission does not have "
                             f"(it has {', '.join(SUBMISSION_FIELDS)})")
        return fields


class RestConnector(Connector):
    Options: ClassVar[type[BaseModel]] = RestOptions
    options: RestOptions

    def _headers(self, **extra: str) -> dict[str, str]:
        headers = dict(extra)
        if self.options.auth_header:
            key = self.secrets.get("api_key")
            if key is None:
                raise FatalError(f"region {self.region.code}: credentials.api_key is not available")
            headers[self.options.auth_header] = key
        return headers

    def _url(self, path: str) -> str:
        return f"{self.region.base_url}{path}"

    def _since_text(self, since: str) -> str:
        moment = datetime.fromisoformat(since)
        if self.options.since_format == "iso":
            return moment.isoformat()
        return moment.astimezone(self.mapper.zone).strftime(self.options.since_format)

    async def pull(self, cursor: dict[str, Any] | None, *, page_size: int) -> PullPage:
        cursor = dict(cursor or {})
        params: dict[str, Any] = {
            self.options.page_param: int(cursor.get("page", 1)),
            self.options.page_size_param: page_size,
        }
        if cursor.get("since"):
            params[self.options.since_param] = self._since_text(cursor["since"])
        response = await self.request("GET", self._url(self.options.list_path), params=params, headers=self._headers())
        try:
            body = response.json()
        except ValueError:
            raise FatalError(unreadable_line(self.region, "GET", response.url, response, "JSON")) from None
        items = get_path(body, self.options.records_path)
        if items is MISSING or not isinstance(items, list):
            raise FatalError(f"answer of {self.options.list_path} has no list at `{self.options.records_path}`")
        records: list[RegionalRecord] = []
        rejections: list[Rejection] = []
        for item in items:
            try:
                records.append(self.mapper.map(item))
            except MappingError as exc:
                source_id = get_path(item, self.mapper.mapping.fields.source_id) if isinstance(item, dict) else MISSING
                rejections.append(Rejection(source_id=None if source_id is MISSING else str(source_id), reason=str(exc), raw=item))
        full_page = len(items) >= page_size
        if self.options.total_pages_path:
            total = get_path(body, self.options.total_pages_path)
            if isinstance(total, int) and params[self.options.page_param] >= total:
                full_page = False
        following, more = next_cursor(cursor, records, full_page=full_page)
        refuse_repeat(self.region.code, cursor, following, more)
        return PullPage(records=records, rejections=rejections, next_cursor=following, more=more)

    async def push(self, delivery: Delivery) -> PushResult:
        """Deliver a national change; every request carries the change's ``Idempotency-Key``.

        A submission is POSTed to ``create_path`` with ``create_fields``
        (dotted payload paths such as ``pelapor.nama`` build nested objects,
        filled from :func:`submission_fields`). Every other change becomes a
        response (tanggapan) on ``follow_up_path`` with its text or summary
        and, where the region's vocabulary has one, the regional status word.
        """
        change = delivery.change
        headers = self._headers(**{"Idempotency-Key": delivery.idempotency_key})
        if isinstance(change, SubmitChange):
            if not self.options.create_path:
                raise FatalError(f"region {self.region.code} has no create_path configured")
            fields = submission_fields(change, category_word=self.mapper.category_word(change.category_code))
            payload: dict[str, Any] = {}
            for path, source in self.options.create_fields.items():
                _set_path(payload, path, fields[source])
            response = await self.request("POST", self._url(self.options.create_path), json=payload, headers=headers)
            source_id = get_path(response.json(), self.mapper.mapping.fields.source_id)
            return PushResult(source_id=None if source_id is MISSING else str(source_id), detail="created")
        if not self.options.follow_up_path or delivery.source_id is None:
            raise FatalError(f"region {self.region.code} cannot take {change.kind} changes yet (no regional id or path)")
        body: dict[str, Any] = {"isi": summary(change), "oleh": change.actor}
        word = self.mapper.status_word(change.status)
        if word is not None:
            body["status"] = word
        url = self._url(self.options.follow_up_path.format(source_id=delivery.source_id))
        response = await self.request("POST", url, json=body, headers=headers)
        event_id = _answer_id(response)
        return PushResult(source_id=delivery.source_id, detail=f"{change.kind} delivered", event_id=event_id)

    async def health(self) -> Health:
        path = self.options.health_path or f"{self.options.list_path}?{self.options.page_size_param}=1"
        started = time.perf_counter()
        try:
            await self.request("GET", self._url(path), headers=self._headers())
        except Exception as exc:  # any failure is unhealthy, with the reason
            return Health(healthy=False, detail=str(exc))
        return Health(healthy=True, detail="ok", latency_ms=(time.perf_counter() - started) * 1000)


def _answer_id(response: Any) -> str | None:
    """The ``id`` of what the app created, when its answer names one."""
    try:
        body = response.json()
    except ValueError:
        return None
    value = body.get("id") if isinstance(body, dict) else None
    return str(value) if value is not None else None


def _set_path(target: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


__all__ = ["RestConnector", "RestOptions"]
