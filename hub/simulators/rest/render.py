"""A complaint as the REST app shows it: over its API (possibly malformed by
the faults in force) and in its ground truth.

The reporter-anonymous flag (``pelapor.anonim``) is written in the ``flags``
habit's words. The ``privacy`` habit adds ``sifat: "rahasia" | "biasa"``
(``word``) or ``rahasia: <flag>`` (``flag``); ``none`` shows no mark, as if
the app knew no confidential complaints. ``tanggapan`` lists the follow-ups;
a status set on its own (the ``aduan`` dialect's PATCH) shows only in
``status`` and ``tanggal_diperbarui``.

The ground truth adds ``riwayat``: the complaint's whole history, its
creation first, then every follow-up and status change, each saying whether
it came from the app itself (``aplikasi``) or over its API (``api``) and with
which ``Idempotency-Key``, so a test can see a change arrived exactly once.
"""

from __future__ import annotations

from typing import Any

from hub.domain.regions import timezone_for, zone_abbreviation
from hub.simulators.habits import RestHabits
from hub.simulators.rest.vocabulary import CATEGORY, CONFIDENTIAL, DATE_FORMAT, ORDINARY, STATUS, flag
from hub.simulators.store import SimComplaint, Update, parse_iso

ORIGIN_WORD = {"app": "aplikasi", "api": "api"}
KIND_WORD = {"follow_up": "tanggapan", "status_change": "status"}


class Renderer:
    def __init__(self, region_code: str) -> None:
        self.zone = timezone_for(region_code)
        self.zone_name = zone_abbreviation(region_code)

    def local(self, stamp: str) -> str:
        return parse_iso(stamp).astimezone(self.zone).strftime(DATE_FORMAT)

    def record(self, c: SimComplaint, habits: RestHabits) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": c.id,
            "no_tiket": c.ticket,
            "kode_lapor": c.tracking_id,
            "judul": c.title,
            "isi_laporan": c.body,
            "kategori": CATEGORY[c.category],
        }
        if habits.privacy == "word":
            record["sifat"] = CONFIDENTIAL if c.confidential else ORDINARY
        elif habits.privacy == "flag":
            record["rahasia"] = flag(habits.flags, c.confidential)
        record.update({
            "status": STATUS[c.stage],
            "pelapor": {**c.reporter, "anonim": flag(habits.flags, bool(c.reporter.get("anonim")))},
            "lokasi": dict(c.location),
            "tanggal_dibuat": self.local(c.created_at),
            "tanggal_diperbarui": self.local(c.updated_at),
            "zona_waktu": self.zone_name,
            "tanggapan": [self.follow_up(u) for u in c.updates if u.kind == "follow_up"],
        })
        return record

    def follow_up(self, u: Update) -> dict[str, Any]:
        return {"id": u.id, "isi": u.text, "oleh": u.author, "status": STATUS[u.stage], "tanggal": self.local(u.at)}

    def served(self, c: SimComplaint, habits: RestHabits, malformation: str | None) -> dict[str, Any]:
        record = self.record(c, habits)
        match malformation:
            case "missing_field":
                del record["judul"]
            case "bad_date":
                record["tanggal_diperbarui"] = "31/02/2026 25:61:00"
            case "unknown_status":
                record["status"] = "Sedang Dikaji Ulang"
            case "bad_encoding":
                record["judul"] = record["judul"].encode("utf-8").decode("latin-1") + "\ufffd"
        return record

    def ground_truth(self, c: SimComplaint, habits: RestHabits) -> dict[str, Any]:
        created = {"id": None, "jenis": "dibuat", "isi": c.title, "oleh": c.reporter.get("nama"), "status": STATUS["new"],
                   "tanggal": self.local(c.created_at), "melalui": ORIGIN_WORD[c.origin],
                   "idempotency_key": c.idempotency_key}
        history = [{"id": u.id, "jenis": KIND_WORD[u.kind], "isi": u.text, "oleh": u.author, "status": STATUS[u.stage],
                    "tanggal": self.local(u.at), "melalui": ORIGIN_WORD[u.origin], "idempotency_key": u.idempotency_key}
                   for u in c.updates]
        return {**self.record(c, habits), "riwayat": [created, *history]}
