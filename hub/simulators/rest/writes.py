"""The REST app's write endpoints, in the two dialects of the ``dialect`` habit.

``sipadu`` (the default; lenient: unknown fields are ignored, an unknown
category becomes ``Lainnya``):

- ``POST /api/v1/laporan`` ``{"judul", "isi_laporan", "kategori", "kode_lapor",
  "pelapor": {"nama", "telepon", "email", "anonim"}, "lokasi": {"alamat",
  "kelurahan", "kecamatan", "lat", "lng"}}`` -> 201, the record;
- ``POST /api/v1/laporan/{id}/tanggapan`` ``{"isi", "oleh", "status"?}`` -> 201
  ``{"id", "laporan"}``; a status word here also changes the status.

``aduan`` (strict: an unknown field, category or status word is refused):

- ``POST /api/v1/laporan`` ``{"laporan": {"perihal", "uraian", "kategori",
  "nomor_lapor"?, "pelapor": {"nama_lengkap", "no_hp", "surel", "anonim"},
  "lokasi": {"alamat", "kelurahan", "kecamatan", "lintang", "bujur"}}}`` -> 201
  ``{"pesan", "data": record}``;
- ``POST /api/v1/laporan/{id}/tanggapan`` ``{"tanggapan": {"teks", "petugas"}}``
  -> 201 ``{"pesan", "data": {"id", "id_laporan", "teks", "petugas", "tanggal"}}``;
- ``PATCH /api/v1/laporan/{id}`` ``{"status", "catatan"?, "petugas"?}`` -> 200
  ``{"pesan", "data": record}``: a status change on its own.

In both, ``anonim`` (and ``rahasia`` with the ``flag`` privacy habit) is read
in the ``flags`` habit's words, ``sifat`` with the ``word`` habit. Every write
honours ``Idempotency-Key``: the same key and body answer the stored response
without writing again; the same key with another body or endpoint answers 422.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hub.simulators.habits import RestHabits
from hub.simulators.rest.vocabulary import CATEGORY, CATEGORY_KEY, read_flag, read_privacy_word, status_stage
from hub.simulators.store import SimComplaint

if TYPE_CHECKING:
    from hub.simulators.rest.app import RestApp

# A write: (payload, idempotency key) -> (HTTP status, answer body).
Write = Callable[[dict[str, Any], str | None], tuple[int, dict[str, Any]]]


class NotFound(LookupError):
    pass


class Writes:
    def __init__(self, app: RestApp) -> None:
        self.app = app
        self.state = app.state

    # -- shared ---------------------------------------------------------
    async def _idempotent(self, request: Request, write: Write) -> Response:
        if denied := self.app.refusal(request):
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
            status, body = write(payload, key)
        except NotFound as exc:
            return JSONResponse({"error": str(exc)}, status_code=404)
        except (ValueError, KeyError, TypeError) as exc:
            return JSONResponse({"error": f"data tidak valid: {exc}"}, status_code=422)
        text = json.dumps(body, ensure_ascii=False)
        if key:
            self.state.store.remember(key, fingerprint, status, text)
        return Response(text, status_code=status, media_type="application/json")

    def _confidential(self, p: dict[str, Any], habits: RestHabits) -> bool:
        if habits.privacy == "word":
            return read_privacy_word(p.get("sifat"))
        if habits.privacy == "flag":
            return read_flag(habits.flags, p.get("rahasia"), "rahasia")
        return False

    def _record(self, c: SimComplaint) -> dict[str, Any]:
        return self.app.renderer.record(c, self.app.habits)

    # -- endpoints ------------------------------------------------------
    async def create(self, request: Request) -> Response:
        habits = self.app.habits
        return await self._idempotent(request, self._aduan_create if habits.dialect == "aduan" else self._sipadu_create)

    async def follow_up(self, request: Request) -> Response:
        complaint_id = int(request.path_params["id"])
        aduan = self.app.habits.dialect == "aduan"

        def write(p: dict[str, Any], key: str | None) -> tuple[int, dict[str, Any]]:
            return (self._aduan_follow_up if aduan else self._sipadu_follow_up)(complaint_id, p, key)

        return await self._idempotent(request, write)

    async def change_status(self, request: Request) -> Response:
        if self.app.habits.dialect != "aduan":
            return JSONResponse({"error": "metode PATCH tidak didukung; kirim status lewat tanggapan"},
                                status_code=405, headers={"allow": "GET"})
        complaint_id = int(request.path_params["id"])
        return await self._idempotent(request, lambda p, key: self._aduan_status(complaint_id, p, key))

    # -- sipadu ---------------------------------------------------------
    def _sipadu_create(self, p: dict[str, Any], key: str | None) -> tuple[int, dict[str, Any]]:
        habits = self.app.habits
        for name in ("judul", "isi_laporan"):
            if not isinstance(p.get(name), str) or not p[name].strip():
                raise ValueError(f"{name} wajib diisi")
        category = CATEGORY_KEY.get(str(p.get("kategori", "Lainnya")).casefold(), "other")
        reporter = _object(p.get("pelapor") or {}, "pelapor")
        location = _object(p.get("lokasi") or {}, "lokasi")
        complaint = self.state.create(
            title=p["judul"].strip(), body=p["isi_laporan"].strip(), category=category,
            reporter={"nama": reporter.get("nama"), "telepon": reporter.get("telepon"), "email": reporter.get("email"),
                      "anonim": read_flag(habits.flags, reporter.get("anonim"), "pelapor.anonim")},
            location={"alamat": location.get("alamat"), "kelurahan": location.get("kelurahan"),
                      "kecamatan": location.get("kecamatan"), "kabupaten": self.state.generator.region_name,
                      "lat": location.get("lat"), "lng": location.get("lng")},
            tracking_id=p.get("kode_lapor") or None, confidential=self._confidential(p, habits), idempotency_key=key,
        )
        return 201, self._record(complaint)

    def _sipadu_follow_up(self, complaint_id: int, p: dict[str, Any], key: str | None) -> tuple[int, dict[str, Any]]:
        complaint = self.state.store.get(complaint_id)
        if complaint is None:
            raise KeyError(f"laporan {complaint_id} tidak ditemukan")
        if not isinstance(p.get("isi"), str) or not p["isi"].strip():
            raise ValueError("isi wajib diisi")
        stage = status_stage(p["status"]) if p.get("status") else None
        update = self.state.add_update(complaint, text=p["isi"].strip(), author=str(p.get("oleh") or "LAPOR!"), stage=stage,
                                       idempotency_key=key)
        return 201, {"id": update.id, "laporan": self._record(complaint)}

    # -- aduan ----------------------------------------------------------
    def _aduan_create(self, p: dict[str, Any], key: str | None) -> tuple[int, dict[str, Any]]:
        habits = self.app.habits
        privacy = {"word": ("sifat",), "flag": ("rahasia",), "none": ()}[habits.privacy]
        body = _object(_only(p, "", "laporan").get("laporan"), "laporan")
        _only(body, "laporan.", "perihal", "uraian", "kategori", "nomor_lapor", "pelapor", "lokasi", *privacy)
        reporter = _only(_object(body.get("pelapor") or {}, "laporan.pelapor"), "laporan.pelapor.",
                         "nama_lengkap", "no_hp", "surel", "anonim")
        location = _only(_object(body.get("lokasi") or {}, "laporan.lokasi"), "laporan.lokasi.",
                         "alamat", "kelurahan", "kecamatan", "lintang", "bujur")
        word = _text(body, "kategori", "laporan.", required=True)
        if word.casefold() not in CATEGORY_KEY:
            raise ValueError(f"laporan.kategori {word!r} tidak dikenal ({', '.join(CATEGORY.values())})")
        complaint = self.state.create(
            title=_text(body, "perihal", "laporan.", required=True), body=_text(body, "uraian", "laporan.", required=True),
            category=CATEGORY_KEY[word.casefold()],
            reporter={"nama": _text(reporter, "nama_lengkap", "laporan.pelapor.") or None,
                      "telepon": _text(reporter, "no_hp", "laporan.pelapor.") or None,
                      "email": _text(reporter, "surel", "laporan.pelapor.") or None,
                      "anonim": read_flag(habits.flags, reporter.get("anonim"), "laporan.pelapor.anonim")},
            location={"alamat": _text(location, "alamat", "laporan.lokasi.") or None,
                      "kelurahan": _text(location, "kelurahan", "laporan.lokasi.") or None,
                      "kecamatan": _text(location, "kecamatan", "laporan.lokasi.") or None,
                      "kabupaten": self.state.generator.region_name,
                      "lat": _degrees(location, "lintang"), "lng": _degrees(location, "bujur")},
            tracking_id=_text(body, "nomor_lapor", "laporan.") or None, confidential=self._confidential(body, habits),
            idempotency_key=key,
        )
        return 201, {"pesan": "Laporan diterima", "data": self._record(complaint)}

    def _aduan_follow_up(self, complaint_id: int, p: dict[str, Any], key: str | None) -> tuple[int, dict[str, Any]]:
        complaint = _existing(self.state.store.get(complaint_id), complaint_id)
        note = _only(_object(_only(p, "", "tanggapan").get("tanggapan"), "tanggapan"), "tanggapan.", "teks", "petugas")
        update = self.state.add_update(complaint, text=_text(note, "teks", "tanggapan.", required=True),
                                       author=_text(note, "petugas", "tanggapan.") or "LAPOR!", stage=None,
                                       idempotency_key=key)
        return 201, {"pesan": "Tanggapan disimpan",
                     "data": {"id": update.id, "id_laporan": complaint.id, "teks": update.text, "petugas": update.author,
                              "tanggal": self.app.renderer.local(update.at)}}

    def _aduan_status(self, complaint_id: int, p: dict[str, Any], key: str | None) -> tuple[int, dict[str, Any]]:
        complaint = _existing(self.state.store.get(complaint_id), complaint_id)
        _only(p, "", "status", "catatan", "petugas")
        stage = status_stage(_text(p, "status", "", required=True))
        self.state.add_update(complaint, text=_text(p, "catatan", ""), author=_text(p, "petugas", "") or "LAPOR!",
                              stage=stage, kind="status_change", idempotency_key=key)
        return 200, {"pesan": "Status diperbarui", "data": self._record(complaint)}


def _existing(complaint: SimComplaint | None, complaint_id: int) -> SimComplaint:
    if complaint is None:
        raise NotFound(f"laporan {complaint_id} tidak ditemukan")
    return complaint


def _object(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{name} wajib berupa objek")
    return value


def _only(value: dict[str, Any], prefix: str, *allowed: str) -> dict[str, Any]:
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise ValueError(f"kolom tidak dikenal: {', '.join(prefix + name for name in unknown)}")
    return value


def _text(value: dict[str, Any], name: str, prefix: str, *, required: bool = False) -> str:
    text = value.get(name)
    if text is None and not required:
        return ""
    if not isinstance(text, str) or (required and not text.strip()):
        raise ValueError(f"{prefix}{name} wajib {'diisi' if required else 'berupa teks'}")
    return text.strip()


def _degrees(location: dict[str, Any], name: str) -> float | None:
    value = location.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"laporan.lokasi.{name} harus angka derajat desimal")
    return float(value)
