"""The legacy CSV export over real HTTP."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import httpx

from hub.simulators import SimulatorConfig, create_app
from hub.simulators.testing import running_app

REFERENCE_NOW = datetime(2026, 10, 1, tzinfo=UTC)
DAY_FIRST = "%d-%m-%Y %H:%M"
HEADER = ["No", "Nomor Laporan", "Tanggal Masuk", "Terakhir Diubah", "Judul", "Isi", "Kategori", "Status",
          "Nama Pelapor", "Telepon", "Alamat", "Kecamatan", "Kode LAPOR", "Tindak Lanjut Terakhir"]


def legacy(complaints: int = 25) -> SimulatorConfig:
    return SimulatorConfig(kind="csv", region_code="64.71", seed=3, complaints=complaints, reference_now=REFERENCE_NOW)


def rows(answer: httpx.Response) -> tuple[list[str], list[dict[str, str]]]:
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    reader = csv.reader(io.StringIO(answer.content.decode("utf-8"), newline=""), delimiter=";")
    header, *body = list(reader)
    return header, [dict(zip(header, row, strict=True)) for row in body]


def test_export_has_the_header_and_day_first_local_dates() -> None:
    with running_app(create_app(legacy())) as base, httpx.Client(base_url=base) as client:
        header, records = rows(client.get("/export/laporan.csv"))
        assert header == HEADER
        assert len(records) == 25
        masuk = [datetime.strptime(r["Tanggal Masuk"], DAY_FIRST) for r in records]
        diubah = [datetime.strptime(r["Terakhir Diubah"], DAY_FIRST) for r in records]
        assert all(m <= d for m, d in zip(masuk, diubah, strict=True))
        assert diubah == sorted(diubah)  # oldest change first
        assert any(moment.day > 12 for moment in masuk)  # only readable day-first
        assert {r["Nomor Laporan"][:9] for r in records} == {"ADU-6471-"}
        assert {r["Status"] for r in records} <= {"Menunggu", "Terverifikasi", "Ditindaklanjuti", "Selesai", "Tidak Valid", "Dicabut"}


def test_since_keeps_records_changed_on_or_after_that_local_day() -> None:
    with running_app(create_app(legacy())) as base, httpx.Client(base_url=base) as client:
        _, everything = rows(client.get("/export/laporan.csv"))
        day = datetime.strptime(everything[12]["Terakhir Diubah"], DAY_FIRST).replace(hour=0, minute=0)
        _, recent = rows(client.get("/export/laporan.csv", params={"since": day.strftime("%d-%m-%Y")}))
        expected = [r for r in everything if datetime.strptime(r["Terakhir Diubah"], DAY_FIRST) >= day]
        assert recent == expected
        assert everything[12] in recent and len(recent) < len(everything)
        assert client.get("/export/laporan.csv", params={"since": "2026-09-01"}).status_code == 400


def test_round_trip_equals_ground_truth() -> None:
    with running_app(create_app(legacy())) as base, httpx.Client(base_url=base) as client:
        _, records = rows(client.get("/export/laporan.csv"))
        truth = client.get("/_admin/ground-truth").json()
        assert truth["kind"] == "csv"
        assert sorted(records, key=lambda r: int(r["No"])) == truth["records"]


def test_writes_are_refused() -> None:
    with running_app(create_app(legacy(complaints=3))) as base, httpx.Client(base_url=base) as client:
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            answer = client.request(method, "/export/laporan.csv", content=b"No;Judul\r\n9;x\r\n")
            assert answer.status_code == 405, method
            assert answer.headers["allow"] == "GET"
        _, records = rows(client.get("/export/laporan.csv"))
        assert len(records) == 3


def test_the_export_is_regenerated_after_activity() -> None:
    with running_app(create_app(legacy(complaints=5))) as base, httpx.Client(base_url=base) as client:
        _, before = rows(client.get("/export/laporan.csv"))
        for _ in range(4):
            step = client.post("/_admin/tick").json()
            assert step["action"] in ("created", "advanced")
            _, after = rows(client.get("/export/laporan.csv"))
            assert after != before
            assert after[-1]["No"] == str(step["id"])  # the record that just changed comes last
            assert sorted(after, key=lambda r: int(r["No"])) == client.get("/_admin/ground-truth").json()["records"]
            before = after
