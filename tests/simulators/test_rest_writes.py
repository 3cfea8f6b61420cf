"""The REST simulator's write dialects and its ground truth of what arrived, over real HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hub.simulators import create_app
from hub.simulators.testing import running_app
from tests.simulators.rest_habits import KEY, rest

SUBMISSION = {"laporan": {
    "perihal": "Jembatan rusak dekat pasar", "uraian": "Papan jembatan lapuk, warga khawatir.", "kategori": "Jalan Rusak",
    "nomor_lapor": "LPR-2026-0000042",
    "pelapor": {"nama_lengkap": "Siti Aminah", "no_hp": "0812-1111-2222", "surel": "siti@example.id", "anonim": "ya"},
    "lokasi": {"alamat": "Jl. Merdeka 1", "kelurahan": "Kelurahan Bukit Intan", "kecamatan": "Kecamatan Girimaya",
               "lintang": -2.13, "bujur": 106.11},
}}


def truth(client: httpx.Client, complaint_id: int) -> dict[str, Any]:
    return next(r for r in client.get("/_admin/ground-truth").json()["records"] if r["id"] == complaint_id)


def aduan(**habits: Any) -> Any:
    return running_app(create_app(rest(dialect="aduan", flags="ya-tidak", complaints=3, **habits)))


def test_the_aduan_dialect_takes_a_submission_a_follow_up_and_a_status_change() -> None:
    with aduan(privacy="word") as base, httpx.Client(base_url=base, headers=KEY) as client:
        created = client.post("/api/v1/laporan", json={"laporan": {**SUBMISSION["laporan"], "sifat": "rahasia"}},
                              headers={"Idempotency-Key": "submit-1"})
        assert created.status_code == 201, created.text
        assert created.json()["pesan"] and set(created.json()) == {"pesan", "data"}
        record = created.json()["data"]
        assert (record["id"], record["judul"], record["isi_laporan"], record["kategori"], record["kode_lapor"], record["sifat"]) == (
            4, "Jembatan rusak dekat pasar", "Papan jembatan lapuk, warga khawatir.", "Jalan Rusak", "LPR-2026-0000042", "rahasia")
        assert record["pelapor"] == {"nama": "Siti Aminah", "telepon": "0812-1111-2222", "email": "siti@example.id", "anonim": "ya"}
        assert (record["lokasi"]["lat"], record["lokasi"]["lng"], record["lokasi"]["alamat"]) == (-2.13, 106.11, "Jl. Merdeka 1")
        assert record["status"] == "Belum Diproses"

        note = client.post("/api/v1/laporan/4/tanggapan", json={"tanggapan": {"teks": "Diteruskan ke Dinas PUPR.", "petugas": "Admin"}},
                           headers={"Idempotency-Key": "follow-1"})
        assert note.status_code == 201, note.text
        data = note.json()["data"]
        assert (data["id_laporan"], data["teks"], data["petugas"]) == (4, "Diteruskan ke Dinas PUPR.", "Admin")

        changed = client.patch("/api/v1/laporan/4", json={"status": "Diproses", "catatan": "Dijadwalkan pekan depan.",
                                                          "petugas": "Dinas PUPR"}, headers={"Idempotency-Key": "status-1"})
        assert changed.status_code == 200, changed.text
        assert changed.json()["data"]["status"] == "Diproses"

        served = client.get("/api/v1/laporan/4").json()
        assert served["status"] == "Diproses"
        assert [(t["id"], t["isi"], t["status"]) for t in served["tanggapan"]] == [(data["id"], "Diteruskan ke Dinas PUPR.", "Belum Diproses")]
        history = truth(client, 4)["riwayat"]
        assert [(e["jenis"], e["isi"], e["oleh"], e["status"], e["melalui"], e["idempotency_key"]) for e in history] == [
            ("dibuat", "Jembatan rusak dekat pasar", "Siti Aminah", "Belum Diproses", "api", "submit-1"),
            ("tanggapan", "Diteruskan ke Dinas PUPR.", "Admin", "Belum Diproses", "api", "follow-1"),
            ("status", "Dijadwalkan pekan depan.", "Dinas PUPR", "Diproses", "api", "status-1"),
        ]
        assert history[1]["id"] == data["id"] and history[2]["tanggal"] == served["tanggal_diperbarui"]


@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", "/api/v1/laporan", SUBMISSION),
    ("POST", "/api/v1/laporan/2/tanggapan", {"tanggapan": {"teks": "Sudah ditinjau.", "petugas": "Admin"}}),
    ("PATCH", "/api/v1/laporan/2", {"status": "Selesai"}),
])
def test_every_aduan_write_arrives_once_per_idempotency_key(method: str, path: str, body: dict[str, Any]) -> None:
    with aduan() as base, httpx.Client(base_url=base, headers=KEY) as client:
        before = client.get("/_admin/ground-truth").json()["records"]
        first = client.request(method, path, json=body, headers={"Idempotency-Key": "k-1"})
        second = client.request(method, path, json=body, headers={"Idempotency-Key": "k-1"})
        assert first.status_code == second.status_code and first.status_code in (200, 201)
        assert first.json() == second.json()
        after = client.get("/_admin/ground-truth").json()["records"]
        arrived = [e for r in after for e in r["riwayat"] if e["idempotency_key"] == "k-1"]
        assert len(arrived) == 1, "the write must arrive exactly once"
        assert sum(len(r["riwayat"]) for r in after) == sum(len(r["riwayat"]) for r in before) + 1
        other = client.request(method, path, json={**body, "lain": 1}, headers={"Idempotency-Key": "k-1"})
        assert other.status_code == 422 and "Idempotency-Key" in other.json()["error"]
        elsewhere = client.post("/api/v1/laporan/1/tanggapan", json={"tanggapan": {"teks": "x"}}, headers={"Idempotency-Key": "k-1"})
        assert elsewhere.status_code == 422
        assert client.get("/_admin/ground-truth").json()["records"] == after


@pytest.mark.parametrize(("method", "path", "body", "named"), [
    # today's sipadu words are refused by an aduan app, naming what is wrong
    ("POST", "/api/v1/laporan", {"judul": "a", "isi_laporan": "b"}, "judul"),
    ("POST", "/api/v1/laporan/1/tanggapan", {"isi": "a", "oleh": "b"}, "isi"),
    ("POST", "/api/v1/laporan/1/tanggapan", {"tanggapan": {"teks": "a"}, "status": "Selesai"}, "status"),
    ("POST", "/api/v1/laporan", {"laporan": {**SUBMISSION["laporan"], "kategori": "Jalan Berlubang"}}, "Jalan Berlubang"),
    ("POST", "/api/v1/laporan", {"laporan": {**SUBMISSION["laporan"], "perihal": " "}}, "laporan.perihal"),
    ("POST", "/api/v1/laporan", {"laporan": {**SUBMISSION["laporan"], "sifat": "rahasia"}}, "laporan.sifat"),
    ("POST", "/api/v1/laporan", {"laporan": {**SUBMISSION["laporan"], "lokasi": {"lintang": "-2,1"}}}, "lintang"),
    ("POST", "/api/v1/laporan", {"laporan": {**SUBMISSION["laporan"], "pelapor": {"no_telp": "0812"}}}, "laporan.pelapor.no_telp"),
    ("POST", "/api/v1/laporan", {"laporan": {**SUBMISSION["laporan"], "pelapor": {"anonim": True}}}, "anonim"),
    ("POST", "/api/v1/laporan", {"laporan": "Jalan rusak"}, "laporan"),
    ("POST", "/api/v1/laporan/1/tanggapan", {"tanggapan": {"petugas": "Admin"}}, "tanggapan.teks"),
    ("PATCH", "/api/v1/laporan/1", {"status": "Sedang Dikaji"}, "Sedang Dikaji"),
    ("PATCH", "/api/v1/laporan/1", {"status": "Selesai", "isi": "x"}, "isi"),
    ("PATCH", "/api/v1/laporan/1", {}, "status"),
])
def test_the_aduan_dialect_refuses_what_it_does_not_know_and_writes_nothing(method: str, path: str, body: Any, named: str) -> None:
    with aduan() as base, httpx.Client(base_url=base, headers=KEY) as client:
        before = client.get("/_admin/ground-truth").json()
        answer = client.request(method, path, json=body, headers={"Idempotency-Key": "k-bad"})
        assert answer.status_code == 422, answer.text
        assert named in answer.json()["error"]
        assert client.get("/_admin/ground-truth").json() == before
        # the key was not used up by a refused write
        if method == "PATCH":
            assert client.patch(path, json={"status": "Selesai"}, headers={"Idempotency-Key": "k-bad"}).status_code == 200


def test_an_unknown_complaint_is_404_in_the_aduan_dialect() -> None:
    with aduan() as base, httpx.Client(base_url=base, headers=KEY) as client:
        assert client.patch("/api/v1/laporan/99", json={"status": "Selesai"}).status_code == 404
        answer = client.post("/api/v1/laporan/99/tanggapan", json={"tanggapan": {"teks": "x"}})
        assert answer.status_code == 404 and "99" in answer.json()["error"]


def test_the_sipadu_dialect_has_no_status_endpoint_and_records_status_with_a_follow_up() -> None:
    with running_app(create_app(rest(complaints=3))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        refused = client.patch("/api/v1/laporan/1", json={"status": "Selesai"})
        assert refused.status_code == 405 and refused.json()["error"]
        note = client.post("/api/v1/laporan/1/tanggapan", json={"isi": "Sudah diperbaiki.", "oleh": "Dinas PUPR", "status": "Selesai"},
                           headers={"Idempotency-Key": "t-9"})
        assert note.status_code == 201
        last = truth(client, 1)["riwayat"][-1]
        assert (last["jenis"], last["isi"], last["status"], last["melalui"], last["idempotency_key"]) == (
            "tanggapan", "Sudah diperbaiki.", "Selesai", "api", "t-9")
        assert last["id"] == note.json()["id"] == client.get("/api/v1/laporan/1").json()["tanggapan"][-1]["id"]
        # the aduan shape means nothing to a sipadu app
        assert client.post("/api/v1/laporan", json=SUBMISSION).status_code == 422


def test_the_dialect_can_change_while_the_app_runs() -> None:
    with running_app(create_app(rest(complaints=1))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        assert client.put("/_admin/habits", json={"dialect": "aduan"}).json()["dialect"] == "aduan"
        assert client.patch("/api/v1/laporan/1", json={"status": "Ditolak"}).status_code == 200
        assert client.get("/api/v1/laporan/1").json()["status"] == "Ditolak"


def test_a_category_is_shown_in_the_apps_own_word_in_the_ground_truth() -> None:
    with aduan() as base, httpx.Client(base_url=base, headers=KEY) as client:
        for word in ("Sampah", "kesehatan", "Bantuan Sosial"):
            client.post("/api/v1/laporan", json={"laporan": {**SUBMISSION["laporan"], "kategori": word}})
        records = client.get("/_admin/ground-truth").json()["records"]
        assert [r["kategori"] for r in records[3:]] == ["Sampah", "Kesehatan", "Bantuan Sosial"]
