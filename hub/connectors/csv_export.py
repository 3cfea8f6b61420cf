"""Connector for a legacy system that only exports CSV over HTTP.

Pull: ``GET <export_path>?since=<date>`` (the date of the cursor's ``since``
in the region's zone, so the whole day is read again), parsed with the
configured delimiter and the header row; each row becomes a dict keyed by
the header, so mapping paths are column names. The whole export is one page.
A row with the wrong number of columns or bytes that are not valid UTF-8 is
rejected on its own; the rest of the file goes on.

Such a system keeps only its last follow-up: ``last_follow_up_column`` turns
it into one event, identified by a digest of its text, so each distinct
follow-up is recorded once.

Push: impossible; every change for the region becomes manual work.
"""

from __future__ import annotations

import csv
import hashlib
import io
import time
from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from hub.connectors.base import Connector, Delivery, Health, PushNotSupported, PushResult
from hub.connectors.mapping import MISSING, MappingError, get_path
from hub.connectors.records import PullPage, RegionalRecord, Rejection


class CsvOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    export_path: str
    since_param: str | None = "since"
    since_format: str = "%d-%m-%Y"
    delimiter: str = ";"
    last_follow_up_column: str | None = None
    follow_up_time_column: str | None = None  # defaults to the updated-at column


def _has_bad_bytes(values: list[str]) -> bool:
    return any("\udc80" <= ch <= "\udcff" for value in values for ch in value)


class CsvExportConnector(Connector):
    Options: ClassVar[type[BaseModel]] = CsvOptions
    options: CsvOptions
    accepts_writes: ClassVar[bool] = False

    def _url(self) -> str:
        return f"{self.region.base_url}{self.options.export_path}"

    async def pull(self, cursor: dict[str, Any] | None, *, page_size: int) -> PullPage:
        cursor = dict(cursor or {})
        params: dict[str, str] = {}
        if cursor.get("since") and self.options.since_param:
            day = datetime.fromisoformat(cursor["since"]).astimezone(self.mapper.zone)
            params[self.options.since_param] = day.strftime(self.options.since_format)
        response = await self.request("GET", self._url(), params=params)
        text = response.content.decode("utf-8", errors="surrogateescape").lstrip("\ufeff")
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=self.options.delimiter)
        header = next(rows, None)
        records: list[RegionalRecord] = []
        rejections: list[Rejection] = []
        if header:
            for number, values in enumerate(rows, start=2):
                if not values:
                    continue
                raw_line = self.options.delimiter.join(values)
                source_id = values[0] if values else None
                if _has_bad_bytes(values):
                    rejections.append(Rejection(source_id=source_id, raw=raw_line.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
                                                reason=f"line {number}: bytes that are not valid UTF-8"))
                    continue
                if len(values) != len(header):
                    rejections.append(Rejection(source_id=source_id, raw=raw_line,
                                                reason=f"line {number}: {len(values)} columns where the header has {len(header)}"))
                    continue
                row = dict(zip(header, values, strict=True))
                try:
                    records.append(self.mapper.map(self._with_follow_up(row)))
                except MappingError as exc:
                    rejections.append(Rejection(source_id=source_id, raw=row, reason=f"line {number}: {exc}"))
        newest = max((r.updated_at for r in records), default=None)
        since = newest.isoformat() if newest else cursor.get("since")
        return PullPage(records=records, rejections=rejections, next_cursor={"since": since, "page": 1}, more=False)

    def _with_follow_up(self, row: dict[str, Any]) -> dict[str, Any]:
        column = self.options.last_follow_up_column
        text = row.get(column) if column else None
        if not text:
            return row
        when = get_path(row, self.options.follow_up_time_column or self.mapper.mapping.fields.updated_at)
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        return {**row, "_follow_ups": [{"id": digest, "text": text, "at": None if when is MISSING else when}]}

    async def push(self, delivery: Delivery) -> PushResult:
        raise PushNotSupported(f"region {self.region.code} only exports CSV; enter this {delivery.change.kind} by hand")

    async def health(self) -> Health:
        started = time.perf_counter()
        try:
            await self.request("GET", self._url(), params={self.options.since_param: datetime.now().strftime(self.options.since_format)} if self.options.since_param else None)
        except Exception as exc:  # any failure is unhealthy, with the reason
            return Health(healthy=False, detail=str(exc))
        return Health(healthy=True, detail="ok", latency_ms=(time.perf_counter() - started) * 1000)
