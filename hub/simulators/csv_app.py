"""A legacy complaint system whose only interface is a CSV export over HTTP.

``GET /export/laporan.csv[?since=DD-MM-YYYY]``: semicolon-separated UTF-8,
an Indonesian header row, day-first local dates (``DD-MM-YYYY HH:MM``),
complaints updated on or after the ``since`` date, regenerated on every
request from the current data. Any write answers 405: this system takes no
input from outside.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from hub.domain.regions import timezone_for
from hub.simulators.state import SimulatorState
from hub.simulators.store import SimComplaint, iso, parse_iso

HEADER = ["No", "Nomor Laporan", "Tanggal Masuk", "Terakhir Diubah", "Judul", "Isi", "Kategori", "Status",
          "Nama Pelapor", "Telepon", "Alamat", "Kecamatan", "Kode LAPOR", "Tindak Lanjut Terakhir"]
STATUS = {"new": "Menunggu", "verified": "Terverifikasi", "in_progress": "Ditindaklanjuti", "done": "Selesai",
          "rejected": "Tidak Valid", "withdrawn": "Dicabut"}
CATEGORY = {"road": "Infrastruktur Jalan", "waste": "Kebersihan", "water": "Air Bersih", "light": "Lampu Jalan",
            "health": "Layanan Kesehatan", "school": "Sekolah", "idcard": "KTP/KK", "welfare": "Bansos",
            "order": "Keamanan dan Ketertiban", "other": "Lain-lain"}
DATE_FORMAT = "%d-%m-%Y %H:%M"


class CsvApp:
    def __init__(self, state: SimulatorState) -> None:
        self.state = state
        self.zone = timezone_for(state.config.region_code)

    def local(self, stamp: str) -> str:
        return parse_iso(stamp).astimezone(self.zone).strftime(DATE_FORMAT)

    def render(self, c: SimComplaint) -> dict[str, Any]:
        anonymous = bool(c.reporter.get("anonim"))
        return {
            "No": str(c.id),
            "Nomor Laporan": c.ticket,
            "Tanggal Masuk": self.local(c.created_at),
            "Terakhir Diubah": self.local(c.updated_at),
            "Judul": c.title,
            "Isi": c.body,
            "Kategori": CATEGORY[c.category],
            "Status": STATUS[c.stage],
            "Nama Pelapor": "Anonim" if anonymous else (c.reporter.get("nama") or ""),
            "Telepon": "" if anonymous else (c.reporter.get("telepon") or ""),
            "Alamat": c.location.get("alamat") or "",
            "Kecamatan": c.location.get("kecamatan") or "",
            "Kode LAPOR": c.tracking_id or "",
            "Tindak Lanjut Terakhir": c.updates[-1].text if c.updates else "",
        }

    def line(self, c: SimComplaint) -> bytes:
        row = self.render(c)
        malformation = self.state.faults.malformation(c.id)
        match malformation:
            case "bad_date":
                row["Terakhir Diubah"] = "32-13-2026 25:99"
            case "unknown_status":
                row["Status"] = "Dalam Kajian"
        values = list(row.values())
        if malformation == "missing_field":
            values = values[:-3]  # a short row: columns missing
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(values)
        data = buffer.getvalue().encode("utf-8")
        if malformation == "bad_encoding":
            data = data.replace(c.title.encode("utf-8"), c.title.encode("utf-8")[:8] + b"\xff\xfe" + c.title.encode("utf-8")[8:], 1)
        return data

    async def export(self, request: Request) -> Response:
        since = None
        if raw := request.query_params.get("since"):
            for fmt in ("%d-%m-%Y", "%d/%m/%Y"):
                try:
                    since = datetime.strptime(raw, fmt).replace(tzinfo=self.zone)
                    break
                except ValueError:
                    continue
            else:
                return PlainTextResponse(f"parameter since harus berformat DD-MM-YYYY, bukan {raw!r}\n", status_code=400)
        records, _ = self.state.store.page(since=iso(since) if since else None, offset=0, limit=10_000_000)
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(HEADER)
        body = buffer.getvalue().encode("utf-8") + b"".join(self.line(c) for c in records)
        return Response(body, media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": 'attachment; filename="laporan.csv"'})

    async def refuse(self, request: Request) -> Response:
        return PlainTextResponse("ekspor ini hanya bisa dibaca\n", status_code=405, headers={"allow": "GET"})

    def routes(self) -> list[Route]:
        return [
            Route("/export/laporan.csv", self.export, methods=["GET"]),
            Route("/export/laporan.csv", self.refuse, methods=["POST", "PUT", "PATCH", "DELETE"]),
        ]
