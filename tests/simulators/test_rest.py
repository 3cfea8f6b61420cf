"""The custom REST app ("SIPADU"-style) over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from hub.simulators import SimulatorConfig, create_app
from hub.simulators.testing import running_app

REFERENCE_NOW = datetime(2026, 10, 1, tzinfo=UTC)
KEY = {"X-API-Key": "sim-key"}
LOCAL = "%d/%m/%Y %H:%M:%S"


def rest(region: str = "19.71", complaints: int = 23, seed: int = 7) -> SimulatorConfig:
    return SimulatorConfig(kind="rest", region_code=region, seed=seed, complaints=complaints, reference_now=REFERENCE_NOW)


def walk(client: httpx.Client, per_page: int, **params: str) -> list[dict]:
    records: list[dict] = []
    page = 1
    while True:
        body = client.get("/api/v1/laporan", params={"page": page, "per_page": per_page, **params}).json()
        records.extend(body["data"])
        if page >= body["meta"]["total_pages"]:
            return records
        page += 1


def test_pagination_walks_every_record_once_in_update_order() -> None:
    with running_app(create_app(rest())) as base, httpx.Client(base_url=base, headers=KEY) as client:
        first = client.get("/api/v1/laporan", params={"per_page": 4}).json()
        assert first["meta"] == {"page": 1, "per_page": 4, "total": 23, "total_pages": 6}
        records = walk(client, per_page=4)
        ids = [r["id"] for r in records]
        assert sorted(ids) == list(range(1, 24))  # every record, none twice, no gaps
        stamps = [datetime.strptime(r["tanggal_diperbarui"], LOCAL) for r in records]
        assert stamps == sorted(stamps)
        assert client.get("/api/v1/laporan", params={"page": 7, "per_page": 4}).json()["data"] == []


def test_updated_since_is_inclusive_at_the_boundary_second() -> None:
    with running_app(create_app(rest())) as base, httpx.Client(base_url=base, headers=KEY) as client:
        records = walk(client, per_page=50)
        middle = records[len(records) // 2]
        boundary = middle["tanggal_diperbarui"]
        at = walk(client, per_page=5, updated_since=boundary)
        assert at[0]["tanggal_diperbarui"] == boundary
        assert middle["id"] in [r["id"] for r in at]
        assert [r["id"] for r in at] == [r["id"] for r in records if datetime.strptime(r["tanggal_diperbarui"], LOCAL)
                                         >= datetime.strptime(boundary, LOCAL)]
        later = (datetime.strptime(boundary, LOCAL) + timedelta(seconds=1)).strftime(LOCAL)
        assert middle["id"] not in [r["id"] for r in walk(client, per_page=5, updated_since=later)]


def test_updated_since_is_read_in_the_regions_own_zone() -> None:
    # The same seed gives the same instants; WIB (UTC+7) and WITA (UTC+8) write them differently.
    with running_app(create_app(rest("19.71"))) as wib, running_app(create_app(rest("64.09"))) as wita:
        with httpx.Client(base_url=wib, headers=KEY) as a, httpx.Client(base_url=wita, headers=KEY) as b:
            in_wib, in_wita = walk(a, per_page=50), walk(b, per_page=50)
            assert {r["zona_waktu"] for r in in_wib} == {"WIB"} and {r["zona_waktu"] for r in in_wita} == {"WITA"}
            one_wib, one_wita = in_wib[10], in_wita[10]
            assert one_wib["id"] == one_wita["id"]
            instant = datetime.strptime(one_wib["tanggal_diperbarui"], LOCAL).replace(tzinfo=ZoneInfo("Asia/Jakarta"))
            assert datetime.strptime(one_wita["tanggal_diperbarui"], LOCAL).replace(tzinfo=ZoneInfo("Asia/Makassar")) == instant
            assert one_wib["tanggal_diperbarui"] != one_wita["tanggal_diperbarui"]
            # The same instant asked in each app's own local text selects the same records.
            since_wib = instant.astimezone(ZoneInfo("Asia/Jakarta")).strftime(LOCAL)
            since_wita = instant.astimezone(ZoneInfo("Asia/Makassar")).strftime(LOCAL)
            ids_wib = [r["id"] for r in walk(a, per_page=50, updated_since=since_wib)]
            ids_wita = [r["id"] for r in walk(b, per_page=50, updated_since=since_wita)]
            assert ids_wib == ids_wita and ids_wib[0] == one_wib["id"]
            # WITA text sent to the WIB app means an hour later there: the boundary record is left out.
            assert one_wib["id"] not in [r["id"] for r in walk(a, per_page=50, updated_since=since_wita)]


def test_calls_without_the_api_key_are_refused() -> None:
    with running_app(create_app(rest(complaints=3))) as base, httpx.Client(base_url=base) as client:
        assert client.get("/api/v1/laporan").status_code == 401
        assert client.get("/api/v1/laporan/1", headers={"X-API-Key": "wrong"}).status_code == 401
        assert client.post("/api/v1/laporan", json={"judul": "a", "isi_laporan": "b"}).status_code == 401
        assert client.get("/api/v1/laporan", headers=KEY).status_code == 200


def test_bad_parameters_answer_422() -> None:
    with running_app(create_app(rest(complaints=3))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        for params in ({"page": "0"}, {"page": "x"}, {"per_page": "0"}, {"per_page": "1001"},
                       {"updated_since": "2026-09-01T00:00:00"}, {"updated_since": "31/02/2026 10:00:00"}):
            answer = client.get("/api/v1/laporan", params=params)
            assert answer.status_code == 422, params
            assert answer.json()["error"]
        assert client.post("/api/v1/laporan", json={"judul": "", "isi_laporan": "isi"}).status_code == 422
        assert client.post("/api/v1/laporan", content=b"not json").status_code == 422
        assert client.get("/api/v1/laporan/999").status_code == 404


def test_create_then_follow_up() -> None:
    with running_app(create_app(rest(complaints=3))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        created = client.post("/api/v1/laporan", json={
            "judul": "Jalan berlubang di Jl. Merdeka", "isi_laporan": "Lubang besar dekat pasar.", "kategori": "Jalan Rusak",
            "pelapor": {"nama": "Siti Aminah", "anonim": False}, "lokasi": {"alamat": "Jl. Merdeka 1", "lat": -2.1, "lng": 106.1},
            "kode_lapor": "LAP-TEST-0001",
        })
        assert created.status_code == 201
        complaint = created.json()
        assert complaint["id"] == 4 and complaint["status"] == "Belum Diproses" and complaint["kategori"] == "Jalan Rusak"
        assert complaint["kode_lapor"] == "LAP-TEST-0001" and complaint["no_tiket"] == "SIPADU-1971-000004"
        followed = client.post(f"/api/v1/laporan/{complaint['id']}/tanggapan",
                               json={"isi": "Sedang ditangani Dinas PUPR.", "oleh": "Admin", "status": "Diproses"})
        assert followed.status_code == 201
        again = client.get(f"/api/v1/laporan/{complaint['id']}").json()
        assert again["status"] == "Diproses"
        assert [t["isi"] for t in again["tanggapan"]] == ["Sedang ditangani Dinas PUPR."]
        assert again["tanggapan"][0]["id"] == followed.json()["id"]
        assert client.post(f"/api/v1/laporan/{complaint['id']}/tanggapan",
                           json={"isi": "x", "status": "Entah"}).status_code == 422
        assert client.post("/api/v1/laporan/999/tanggapan", json={"isi": "x"}).status_code == 422
        # A new record shows up in the listing, last in update order.
        assert walk(client, per_page=2)[-1]["id"] == complaint["id"]


def test_the_same_idempotency_key_twice_creates_one_complaint() -> None:
    with running_app(create_app(rest(complaints=3))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        payload = {"judul": "Sampah menumpuk", "isi_laporan": "Sudah seminggu.", "kategori": "Sampah"}
        first = client.post("/api/v1/laporan", json=payload, headers={"Idempotency-Key": "k-1"})
        second = client.post("/api/v1/laporan", json=payload, headers={"Idempotency-Key": "k-1"})
        assert first.status_code == second.status_code == 201
        assert first.json() == second.json()
        assert client.get("/api/v1/laporan").json()["meta"]["total"] == 4
        other = client.post("/api/v1/laporan", json={**payload, "judul": "Lain"}, headers={"Idempotency-Key": "k-1"})
        assert other.status_code == 422
        assert client.get("/api/v1/laporan").json()["meta"]["total"] == 4
        # Follow-ups too.
        note = {"isi": "Diteruskan ke DLH."}
        a = client.post("/api/v1/laporan/1/tanggapan", json=note, headers={"Idempotency-Key": "t-1"})
        b = client.post("/api/v1/laporan/1/tanggapan", json=note, headers={"Idempotency-Key": "t-1"})
        assert a.json() == b.json()
        texts = [t["isi"] for t in client.get("/api/v1/laporan/1").json()["tanggapan"]]
        assert texts.count("Diteruskan ke DLH.") == 1
        # Without a key, each post is a new complaint.
        client.post("/api/v1/laporan", json=payload)
        assert client.get("/api/v1/laporan").json()["meta"]["total"] == 5


def test_ground_truth_matches_what_the_api_serves() -> None:
    with running_app(create_app(rest())) as base, httpx.Client(base_url=base, headers=KEY) as client:
        truth = client.get("/_admin/ground-truth").json()
        assert truth["kind"] == "rest" and truth["region"] == "19.71"
        served = {r["id"]: r for r in walk(client, per_page=7)}
        # The ground truth is the served record plus its history (riwayat).
        assert {r["id"]: {k: v for k, v in r.items() if k != "riwayat"} for r in truth["records"]} == served
        assert client.get("/api/v1/laporan/5").json() == served[5]
        for record in truth["records"]:
            created, *later = record["riwayat"]
            assert created["jenis"] == "dibuat" and created["tanggal"] == record["tanggal_dibuat"]
            assert [(e["id"], e["isi"], e["oleh"], e["status"], e["tanggal"]) for e in later] == [
                (t["id"], t["isi"], t["oleh"], t["status"], t["tanggal"]) for t in record["tanggapan"]]
            assert {e["melalui"] for e in record["riwayat"]} == {"aplikasi"}  # seeded: nothing came over the API


def test_the_same_seed_gives_the_same_records() -> None:
    with running_app(create_app(rest(seed=11))) as one, running_app(create_app(rest(seed=11))) as two, \
            running_app(create_app(rest(seed=12))) as other:
        records = [httpx.get(f"{b}/_admin/ground-truth").json()["records"] for b in (one, two, other)]
        assert records[0] == records[1]
        assert records[0] != records[2]
