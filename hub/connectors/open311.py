"""Open311 GeoReport v2 connector (requests plus ``servicerequestupdates``).

Pull: ``GET requests.json?updated_after=<since>&page=N&page_size=M`` for the
requests changed since the cursor, then one ``GET servicerequestupdates.json
?service_request_id=<ids>`` for their updates (status changes and comments),
attached to each request under ``updates`` before mapping. GeoReport has no
title, so the first line of ``description`` (or its first sentence, when it
is one line) becomes ``_title``; map ``title`` to ``_title``. Paging follows :mod:`hub.connectors.paging`.

Push: a national submission is POSTed to ``requests.json`` with the
``api_key`` credential, the service code of the complaint's category (the
region's category vocabulary read backwards) and the national tracking id as
``attribute[lapor_tracking_id]``; the first photo's signed link goes as
``media_url`` (GeoReport takes one). GeoReport has no way to post a comment or a
status, so those become manual work for the region's admin.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from hub.connectors.base import Connector, Delivery, Health, PushNotSupported, PushResult
from hub.connectors.mapping import MISSING, MappingError, get_path
from hub.connectors.paging import next_cursor, refuse_repeat
from hub.connectors.records import FatalError, PullPage, Rejection, RegionalRecord
from hub.domain.changes import ReporterContact, SubmitChange


class Open311Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    requests_path: str = "/requests.json"
    updates_path: str | None = "/servicerequestupdates.json"
    services_path: str = "/services.json"
    jurisdiction_id: str | None = None
    since_param: str = "updated_after"
    page_param: str = "page"
    page_size_param: str = "page_size"


def title_of(description: str, limit: int = 150) -> str:
    text = description.strip()
    first = text.split("\n", 1)[0].strip() if "\n" in text else text.split(". ", 1)[0].strip()
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


class Open311Connector(Connector):
    Options: ClassVar[type[BaseModel]] = Open311Options
    options: Open311Options

    def _params(self, **params: Any) -> dict[str, Any]:
        if self.options.jurisdiction_id:
            params["jurisdiction_id"] = self.options.jurisdiction_id
        return params

    def _url(self, path: str) -> str:
        return f"{self.region.base_url}{path}"

    async def _json_list(self, path: str, params: dict[str, Any]) -> list[Any]:
        response = await self.request("GET", self._url(path), params=self._params(**params))
        try:
            body = response.json()
        except ValueError:
            raise FatalError(f"{path} did not answer JSON") from None
        if not isinstance(body, list):
            raise FatalError(f"{path} answered {type(body).__name__}, not a list")
        return body

    async def pull(self, cursor: dict[str, Any] | None, *, page_size: int) -> PullPage:
        cursor = dict(cursor or {})
        params: dict[str, Any] = {self.options.page_param: int(cursor.get("page", 1)), self.options.page_size_param: page_size}
        if cursor.get("since"):
            params[self.options.since_param] = cursor["since"]
        items = await self._json_list(self.options.requests_path, params)
        ids = [str(item["service_request_id"]) for item in items if isinstance(item, dict) and item.get("service_request_id")]
        updates: dict[str, list[Any]] = defaultdict(list)
        if ids and self.options.updates_path:
            for update in await self._json_list(self.options.updates_path, {"service_request_id": ",".join(ids)}):
                if isinstance(update, dict):
                    updates[str(update.get("service_request_id"))].append(update)
        records: list[RegionalRecord] = []
        rejections: list[Rejection] = []
        for item in items:
            source_id = get_path(item, self.mapper.mapping.fields.source_id) if isinstance(item, dict) else MISSING
            try:
                raw = dict(item) if isinstance(item, dict) else item
                if isinstance(raw, dict):
                    if isinstance(raw.get("description"), str):
                        raw["_title"] = title_of(raw["description"])
                    raw["updates"] = updates.get(str(source_id), [])
                records.append(self.mapper.map(raw))
            except MappingError as exc:
                rejections.append(Rejection(source_id=None if source_id is MISSING else str(source_id), reason=str(exc), raw=item))
        following, more = next_cursor(cursor, records, full_page=len(items) >= page_size)
        refuse_repeat(self.region.code, cursor, following, more)
        return PullPage(records=records, rejections=rejections, next_cursor=following, more=more)

    def _service_code(self, category_code: str | None) -> str:
        word = self.mapper.category_word(category_code) or self.mapper.category_word(self.mapper.mapping.default_category)
        if word is None:
            raise FatalError(f"region {self.region.code} maps no service code to category {category_code!r} "
                             "nor to its default category; cannot submit")
        return word

    async def push(self, delivery: Delivery) -> PushResult:
        change = delivery.change
        if not isinstance(change, SubmitChange):
            raise PushNotSupported(f"Open311 region {self.region.code} takes no {change.kind} changes; enter it by hand")
        key = self.secrets.get("api_key")
        if key is None:
            raise FatalError(f"region {self.region.code}: credentials.api_key is not available")
        reporter = change.reporter or ReporterContact()
        form = {
            "api_key": key,
            "service_code": self._service_code(change.category_code),
            "description": f"{change.title}\n{change.body}",
            "attribute[lapor_tracking_id]": change.tracking_id,
        }
        for name, value in (("lat", change.latitude), ("long", change.longitude), ("address_string", change.address),
                            ("first_name", reporter.name), ("phone", reporter.phone), ("email", reporter.email),
                            ("media_url", change.attachments[0].url if change.attachments else None)):
            if value not in (None, ""):
                form[name] = str(value)
        response = await self.request("POST", self._url(self.options.requests_path), data=self._params(**form),
                                      headers={"Idempotency-Key": delivery.idempotency_key})
        answer = response.json()
        source_id = answer[0].get("service_request_id") if isinstance(answer, list) and answer else None
        return PushResult(source_id=str(source_id) if source_id else None, detail="created")

    async def health(self) -> Health:
        started = time.perf_counter()
        try:
            await self._json_list(self.options.services_path, {})
        except Exception as exc:  # any failure is unhealthy, with the reason
            return Health(healthy=False, detail=str(exc))
        return Health(healthy=True, detail="ok", latency_ms=(time.perf_counter() - started) * 1000)
