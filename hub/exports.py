"""``GET /export/complaints.csv`` and ``.xlsx``: the complaint list as a file.

The link comes from the ``complaintsExport`` GraphQL field; its ticket is the
permission and carries the caller's scope and filter
(:mod:`hub.resolvers.exports`). Rows are read through a server-side cursor
(:mod:`hub.store.exports`), so memory stays flat however many there are:

- CSV is streamed as it is read (UTF-8 with a byte-order mark, so Excel shows
  Indonesian text right); no size limit.
- XLSX is written by XlsxWriter in constant-memory mode to a temporary file,
  which is then sent and removed; Excel holds at most 1,048,575 data rows,
  and an export that would exceed that is refused up front with a pointer
  to CSV.
Times are UTC, ISO 8601 in CSV and Excel date-times in XLSX.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import tempfile
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

import xlsxwriter
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from hub.observability.logs import request_id
from hub.resolvers.exports import InvalidTicket, read_ticket
from hub.store.complaint_queries import count_complaints
from hub.store.exports import HEADERS, log_confidential_export, stream_rows
from hub.store.types import utcnow

if TYPE_CHECKING:
    from hub.app import Runtime

XLSX_MAX_ROWS = 1_048_575  # Excel's sheet holds 1,048,576 rows, one of them the header
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return value


async def _csv(batches: AsyncIterator[Sequence[Sequence[Any]]]) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    yield "\ufeff".encode() + buffer.getvalue().encode()
    async for batch in batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_text(value) for value in row] for row in batch)
        yield buffer.getvalue().encode()


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return _text(value)


async def _xlsx(batches: AsyncIterator[Sequence[Sequence[Any]]], path: str) -> None:
    book = xlsxwriter.Workbook(path, {"constant_memory": True, "tmpdir": os.path.dirname(path)})
    try:
        sheet = book.add_worksheet("Pengaduan")
        bold = book.add_format({"bold": True})
        moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        sheet.write_row(0, 0, HEADERS, bold)
        row_number = 1

        def write(batch: Sequence[Sequence[Any]], first: int) -> None:
            for offset, row in enumerate(batch):
                for column, value in enumerate(row):
                    cell = _cell(value)
                    if isinstance(cell, datetime):
                        sheet.write_datetime(first + offset, column, cell, moment)
                    else:
                        sheet.write(first + offset, column, cell)

        async for batch in batches:
            await asyncio.to_thread(write, batch, row_number)
            row_number += len(batch)
    finally:
        await asyncio.to_thread(book.close)


def routes(runtime: Runtime) -> list[Route]:
    async def export(request: Request) -> Response:
        fmt = request.path_params["format"]
        if fmt not in ("csv", "xlsx"):
            return JSONResponse({"error": "exports are .csv or .xlsx"}, status_code=404)
        try:
            viewer, where = read_ticket(runtime.settings.secret, request.query_params.get("ticket", ""))
        except InvalidTicket as exc:
            return JSONResponse({"error": str(exc)}, status_code=403)
        assert runtime.engine is not None
        now = utcnow()
        name = f"pengaduan-{now:%Y%m%d-%H%M%S}.{fmt}"
        disposition = {"content-disposition": f'attachment; filename="{name}"', "cache-control": "private, no-store"}
        await log_confidential_export(runtime.engine, viewer, where=where, now=now, request_id=request_id.get())
        if fmt == "csv":
            rows = stream_rows(runtime.engine, viewer, where=where, now=now)
            return StreamingResponse(_csv(rows), media_type="text/csv; charset=utf-8", headers=disposition)
        assert runtime.read_sessions is not None
        async with runtime.read_sessions() as session:
            total = await count_complaints(session, viewer, where=where, now=now)
        if total > XLSX_MAX_ROWS:
            return JSONResponse({"error": f"{total:,} complaints are more than an Excel sheet holds "
                                          f"({XLSX_MAX_ROWS:,}); narrow the filter or export CSV"}, status_code=413)
        folder = tempfile.mkdtemp(prefix="hub-export-")
        path = os.path.join(folder, name)
        try:
            await _xlsx(stream_rows(runtime.engine, viewer, where=where, now=now), path)
        except BaseException:
            _remove(folder)
            raise
        return FileResponse(path, media_type=XLSX_TYPE, headers=disposition, background=BackgroundTask(_remove, folder))

    return [Route("/export/complaints.{format}", export, methods=["GET"])]


def _remove(folder: str) -> None:
    for name in os.listdir(folder):
        os.unlink(os.path.join(folder, name))
    os.rmdir(folder)
