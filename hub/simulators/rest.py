"""A custom JSON REST complaint app ("SIPADU"-style), in Indonesian.

- ``GET /api/v1/laporan?page=1&per_page=50&updated_since=DD/MM/YYYY HH:MM:SS``:
  records updated at or after ``updated_since`` (local time, the region's
  zone), ordered by update time then id; ``{"data": [...], "meta": {...}}``.
- ``GET /api/v1/laporan/{id}``
- ``POST /api/v1/laporan``: new complaint (judul, isi_laporan, kategori,
  pelapor, lokasi, optional kode_lapor = national tracking id).
- ``POST /api/v1/laporan/{id}/tanggapan``: follow-up (isi, oleh, optional status).

Every call needs ``X-API-Key``. Writes honour ``Idempotency-Key``: the same
key answers the stored response without writing again; the same key with a
different body is refused with 422. Timestamps are ``DD/MM/YYYY HH:MM:SS``
local time, with the zone named in ``zona_waktu``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub.domain.regions import timezone_for, zone_abbreviation
from hub.simulators.state import SimulatorState
from hub.simulators.store import SimComplaint, iso, parse_iso

STATUS = {"new": "Belum Diproses", "verified": "Diverifikasi", "in_progress": "Diproses", "done": "Selesai",
          "rejected": "Ditolak", "withdrawn": "Dicabut"}
STAGE_OF_STATUS = {word.casefold(): stage for stage, word in STATUS.items()}
CATEGORY = {"road": "Jalan Rusak", "waste": "Sampah", "water": "Air Bersih", "light": "Penerangan Jalan",
            "health": "Kesehatan", "school": "Pendidikan", "idcard": "Administrasi Kependudukan",
            "welfare": "Bantuan Sosial", "order": "Ketertiban Umum", "other": "Lainnya"}
CATEGORY_KEY = {word.casefold(): key for key, word in CATEGORY.items()}
DATE_FORMAT = "%d/%m/%Y %H:%M:%S"


class RestApp:
    def __init__(self, state: SimulatorState) -> None:
        self.state = state
        self.zone = timezone_for(state.config.region_code)
        self.zone_name = zone_abbreviation(state.config.region_code)

    def local(self, stamp: str) -> str:
        return parse_iso(stamp).astimezone(self.zone).strftime(DATE_FORMAT)

    def render(self, c: SimComplaint) -> dict[str, Any]:
        return {
            "id": c.id,
            "no_tiket": c.ticket,
            "kode_lapor": c.tracking_id,
            "judul": c.title,
            "isi_laporan": c.body,
            "kategori": CATEGORY[c.category],
            "status": STATUS[c.stage],
            "pelapor": dict(c.reporter),
            "lokasi": dict(c.location),
            "tanggal_dibuat": self.local(c.created_at),
            "tanggal_diperbarui": self.local(c.updated_at),
            "zona_waktu": self.zone_name,
            "tanggapan": [
                {"id": u.id, "isi": u.text, "oleh": u.author, "status": STATUS[u.stage], "tanggal": self.local(u.at)}
                for u in c.updates
            ],
        }

    def served(self, c: SimComplaint) -> dict[str, Any]:
        record = self.render(c)
        match self.state.faults.malformation(c.id):
            case "missing_field":
                del record["judul"]
            case "bad_date":
                record["tanggal_diperbarui"] = "31/02/2026 25:61:00"
            case "unknown_status":
                record["status"] = "Sedang Dikaji Ulang"
            case "bad_encoding":
                record["judul"] = record["judul"].encode("utf-8").decode("latin-1") + "\ufffd"
        return record

    # -- routes ---------------------------------------------------------
    def _authorised(self, request: Request) -> JSONResponse | None:
        if request.headers.get("x-api-key") != self.state.config.api_key:
            return JSONResponse({"error": "API key salah atau tidak ada (header X-API-Key)"}, status_code=401)
        return None

    async def list(self, request: Request) -> Response:
        if denied := self._authorised(request):
            return denied
        try:
            page = int(request.query_params.get("page", "1"))
            per_page = int(request.query_params.get("per_page", "50"))
            if page < 1 or not 1 <= per_page <= 1000:
                raise ValueError
        except ValueError:
            return JSONResponse({"error": "page harus >= 1 dan per_page antara 1 dan 1000"}, status_code=422)
        since = None
        if raw := request.query_params.get("updated_since"):
            try:
                since = datetime.strptime(raw, DATE_FORMAT).replace(tzinfo=self.zone)
            except ValueError:
                return JSONResponse({"error": f"updated_since harus berformat DD/MM/YYYY HH:MM:SS, bukan {raw!r}"}, status_code=422)
        offset = (page - 1) * per_page
        repeat = self.state.faults.config.repeat_across_pages and page > 1
        records, total = self.state.store.page(
            since=iso(since) if since else None, offset=offset - 1 if repeat else offset,
            limit=per_page + 1 if repeat else per_page,
        )
        return JSONResponse({
            "data": [self.served(c) for c in records],
            "meta": {"page": page, "per_page": per_page, "total": total, "total_pages": max(1, -(-total // per_page))},
        })

    async def detail(self, request: Request) -> Response:
        if denied := self._authorised(request):
            return denied
        complaint = self.state.store.get(int(request.path_params["id"]))
        if complaint is None:
            return JSONResponse({"error": "laporan tidak ditemukan"}, status_code=404)
        return JSONResponse(self.served(complaint))

    async def _idempotent(self, request: Request, write: Any) -> Response:
        if denied := self._authorised(request):
            return denied
        raw = await request.body()
        key = request.headers.get("idempotency-key")
        fingerprint = hashlib.sha256(request.url.path.encode() + b"\n" + raw).hexdigest()
        if key and (seen := self.state.store.remembered(key)):
            if seen[0] != fingerprint:
                return JSONResponse({"error": "Idempotency-Key sudah dipakai untuk permintaan lain"}, status_code=422)
            return Response(seen[2], status_code=seen[1], media_type="application/json")
        try:
            payload = json.loads(raw or b"{}")
            if not isinstance(payload, dict):
                raise ValueError("badan permintaan harus objek JSON")
            status, body = write(payload)
        except (ValueError, KeyError, TypeError) as exc:
            return JSONResponse({"error": f"data tidak valid: {exc}"}, status_code=422)
        text = json.dumps(body, ensure_ascii=False)
        if key:
            self.state.store.remember(key, fingerprint, status, text)
        return Response(text, status_code=status, media_type="application/json")

    async def create(self, request: Request) -> Response:
        def write(p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            for name in ("judul", "isi_laporan"):
                if not isinstance(p.get(name), str) or not p[name].strip():
                    raise ValueError(f"{name} wajib diisi")
            category = CATEGORY_KEY.get(str(p.get("kategori", "Lainnya")).casefold(), "other")
            reporter = p.get("pelapor") or {}
            location = p.get("lokasi") or {}
            complaint = self.state.create(
                title=p["judul"].strip(), body=p["isi_laporan"].strip(), category=category,
                reporter={"nama": reporter.get("nama"), "telepon": reporter.get("telepon"),
                          "email": reporter.get("email"), "anonim": bool(reporter.get("anonim"))},
                location={"alamat": location.get("alamat"), "kelurahan": location.get("kelurahan"),
                          "kecamatan": location.get("kecamatan"), "kabupaten": self.state.generator.region_name,
                          "lat": location.get("lat"), "lng": location.get("lng")},
                tracking_id=p.get("kode_lapor") or None,
            )
            return 201, self.render(complaint)

        return await self._idempotent(request, write)

    async def follow_up(self, request: Request) -> Response:
        complaint_id = int(request.path_params["id"])

        def write(p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            complaint = self.state.store.get(complaint_id)
            if complaint is None:
                raise KeyError(f"laporan {complaint_id} tidak ditemukan")
            if not isinstance(p.get("isi"), str) or not p["isi"].strip():
                raise ValueError("isi wajib diisi")
            stage = None
            if p.get("status"):
                stage = STAGE_OF_STATUS.get(str(p["status"]).casefold())
                if stage is None:
                    raise ValueError(f"status {p['status']!r} tidak dikenal ({', '.join(STATUS.values())})")
            update = self.state.add_update(complaint, text=p["isi"].strip(), author=str(p.get("oleh") or "LAPOR!"), stage=stage)
            return 201, {"id": update.id, "laporan": self.render(complaint)}

        return await self._idempotent(request, write)

    def routes(self) -> list[Route]:
        return [
            Route("/api/v1/laporan", self.list, methods=["GET"]),
            Route("/api/v1/laporan", self.create, methods=["POST"]),
            Route("/api/v1/laporan/{id:int}", self.detail, methods=["GET"]),
            Route("/api/v1/laporan/{id:int}/tanggapan", self.follow_up, methods=["POST"]),
        ]
