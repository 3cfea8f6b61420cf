"""Faults a simulator can be told to show, each observable over real HTTP."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from hub.simulators import FaultConfig, SimulatorConfig, create_app
from hub.simulators.testing import running_app

REFERENCE_NOW = datetime(2026, 10, 1, tzinfo=UTC)
KEY = {"X-API-Key": "sim-key"}


def config(kind: str = "rest", complaints: int = 20, seed: int = 9, **faults: object) -> SimulatorConfig:
    return SimulatorConfig(kind=kind, region_code="19.71", seed=seed, complaints=complaints,  # type: ignore[arg-type]
                           reference_now=REFERENCE_NOW, faults=FaultConfig(**faults))  # type: ignore[arg-type]


def test_fault_spec_syntax() -> None:
    parsed = FaultConfig.parse("latency=200,errors=0.2,html=0.1,hang=0.05,hang_seconds=3,malformed=0.05,repeat=1,skew=-300")
    assert parsed == FaultConfig(latency_ms=200, error_rate=0.2, html_rate=0.1, hang_rate=0.05, hang_seconds=3.0,
                                 malformed_rate=0.05, repeat_across_pages=True, clock_skew_seconds=-300)
    assert FaultConfig.parse("") == FaultConfig()
    for bad in ("errors=2", "html=-0.1", "latency=fast", "speed=1", "errors"):
        with pytest.raises(ValueError):
            FaultConfig.parse(bad)


def test_faults_are_read_and_changed_through_the_admin_endpoint() -> None:
    with running_app(create_app(config(complaints=2))) as base, httpx.Client(base_url=base) as client:
        assert client.get("/_admin/faults").json() == FaultConfig().to_dict()
        changed = client.put("/_admin/faults", json={"latency_ms": 10, "error_rate": 0.25})
        assert changed.status_code == 200 and changed.json()["error_rate"] == 0.25 and changed.json()["latency_ms"] == 10
        assert client.put("/_admin/faults", json={"error_rate": 0.0}).json()["latency_ms"] == 10  # merged, not replaced
        assert client.put("/_admin/faults", json={"gremlins": 1}).status_code == 422
        assert client.put("/_admin/faults", json={"error_rate": 3}).status_code == 422
        assert client.put("/_admin/faults", json=[1]).status_code == 422


def test_latency_is_measurable_and_spares_the_admin_endpoints() -> None:
    with running_app(create_app(config(complaints=2, latency_ms=300))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        started = time.monotonic()
        assert client.get("/api/v1/laporan").status_code == 200
        assert time.monotonic() - started >= 0.3
        started = time.monotonic()
        client.get("/_admin/ground-truth")
        assert time.monotonic() - started < 0.3


def test_errors_answer_503_for_about_the_configured_share() -> None:
    with running_app(create_app(config(complaints=2, error_rate=0.5))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        answers = [client.get("/api/v1/laporan") for _ in range(60)]
        failed = [a for a in answers if a.status_code == 503]
        assert 18 <= len(failed) <= 42  # 30% .. 70% of 60
        assert all(a.status_code == 200 for a in answers if a not in failed)
        assert failed[0].json() == {"error": "simulated server error"} and failed[0].headers["retry-after"] == "0"
        assert all(client.get("/_admin/ground-truth").status_code == 200 for _ in range(10))
        client.put("/_admin/faults", json={"error_rate": 0})
        assert all(client.get("/api/v1/laporan").status_code == 200 for _ in range(10))


@pytest.mark.parametrize("kind", ["open311", "rest"])
def test_html_pages_answer_200_for_about_the_configured_share(kind: str) -> None:
    path = {"open311": "/requests.json", "rest": "/api/v1/laporan"}[kind]
    with running_app(create_app(config(kind, complaints=3, html_rate=0.5))) as base, \
            httpx.Client(base_url=base, headers=KEY) as client:
        answers = [client.get(path) for _ in range(60)]
        assert all(a.status_code == 200 for a in answers)  # a status code alone does not tell them apart
        pages = [a for a in answers if a.headers["content-type"].startswith("text/html")]
        assert 18 <= len(pages) <= 42  # 30% .. 70% of 60
        assert all(a.text.lstrip().startswith("<!DOCTYPE html>") for a in pages)
        assert len({a.text for a in pages}) == 2  # a maintenance page and a captive portal
        assert all(a.headers["content-type"].startswith("application/json") for a in answers if a not in pages)
        assert all(client.get("/_admin/ground-truth").status_code == 200 for _ in range(10))
        client.put("/_admin/faults", json={"html_rate": 0})
        assert all(client.get(path).headers["content-type"].startswith("application/json") for _ in range(10))


def test_a_write_answered_by_an_html_page_is_not_recorded() -> None:
    with running_app(create_app(config("open311", complaints=3, html_rate=1.0))) as base, httpx.Client(base_url=base) as client:
        form = {"api_key": "sim-key", "service_code": "JLN", "description": "Jalan berlubang", "address_string": "Jl. A"}
        page = client.post("/requests.json", data=form)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert len(client.get("/_admin/ground-truth").json()["records"]) == 3


def test_a_hang_outlasts_a_short_client_timeout() -> None:
    with running_app(create_app(config(complaints=2, hang_rate=1.0, hang_seconds=2))) as base:
        with httpx.Client(base_url=base, headers=KEY, timeout=0.5) as client:
            with pytest.raises(httpx.ReadTimeout):
                client.get("/api/v1/laporan")
            client.put("/_admin/faults", json={"hang_rate": 0})
            assert client.get("/api/v1/laporan").status_code == 200


def malformation(served: dict, truth: dict) -> str | None:
    if served == truth:
        return None
    if "judul" not in served:
        return "missing_field"
    if served["tanggal_diperbarui"] != truth["tanggal_diperbarui"]:
        return "bad_date"
    if served["status"] != truth["status"]:
        return "unknown_status"
    if served["judul"] != truth["judul"] and served["judul"].endswith("\ufffd"):
        return "bad_encoding"
    return "other"


def test_malformed_records_are_stable_show_every_kind_and_go_away_when_turned_off() -> None:
    with running_app(create_app(config(complaints=80, malformed_rate=0.5))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        truth = {r["id"]: {k: v for k, v in r.items() if k != "riwayat"}
                 for r in client.get("/_admin/ground-truth").json()["records"]}
        first = client.get("/api/v1/laporan", params={"per_page": 100}).json()["data"]
        second = client.get("/api/v1/laporan", params={"per_page": 100}).json()["data"]
        assert first == second  # the same records, malformed the same way, on every read
        kinds = [malformation(r, truth[r["id"]]) for r in first]
        assert "other" not in kinds
        assert {k for k in kinds if k} == {"missing_field", "bad_date", "unknown_status", "bad_encoding"}
        assert 24 <= sum(1 for k in kinds if k) <= 56  # about half of 80
        broken = next(r["id"] for r, k in zip(first, kinds, strict=True) if k)
        assert client.get(f"/api/v1/laporan/{broken}").json() != truth[broken]
        client.put("/_admin/faults", json={"malformed_rate": 0})
        healthy = client.get("/api/v1/laporan", params={"per_page": 100}).json()["data"]
        assert all(r == truth[r["id"]] for r in healthy)


def test_malformed_csv_lines_are_stable_and_go_away_when_turned_off() -> None:
    with running_app(create_app(config("csv", complaints=60, malformed_rate=0.5))) as base, httpx.Client(base_url=base) as client:
        first, second = client.get("/export/laporan.csv").content, client.get("/export/laporan.csv").content
        assert first == second
        lines = first.split(b"\r\n")[1:-1]
        assert len(lines) == 60
        undecodable = [line for line in lines if not _decodes(line)]
        rows = [next(csv.reader([line.decode("utf-8")], delimiter=";")) for line in lines if _decodes(line)]
        assert undecodable  # bad_encoding
        assert any(len(row) < 14 for row in rows)  # missing_field: a short row
        assert any(len(row) == 14 and row[7] == "Dalam Kajian" for row in rows)  # unknown_status
        assert any(len(row) == 14 and row[3] == "32-13-2026 25:99" for row in rows)  # bad_date
        client.put("/_admin/faults", json={"malformed_rate": 0})
        reader = csv.DictReader(io.StringIO(client.get("/export/laporan.csv").content.decode("utf-8"), newline=""), delimiter=";")
        assert sorted(reader, key=lambda r: int(r["No"])) == client.get("/_admin/ground-truth").json()["records"]


def _decodes(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_malformed_open311_requests_differ_from_ground_truth_until_turned_off() -> None:
    with running_app(create_app(config("open311", complaints=40, malformed_rate=0.5))) as base, httpx.Client(base_url=base) as client:
        truth = {r["service_request_id"]: {k: v for k, v in r.items() if k != "updates"}
                 for r in client.get("/_admin/ground-truth").json()["records"]}
        served = client.get("/requests.json").json()
        assert served == client.get("/requests.json").json()
        broken = [r for r in served if r != truth[r["service_request_id"]]]
        assert 8 <= len(broken) <= 32
        assert any("description" not in r for r in broken)
        client.put("/_admin/faults", json={"malformed_rate": 0})
        assert all(r == truth[r["service_request_id"]] for r in client.get("/requests.json").json())


def test_repeat_makes_each_page_start_with_the_previous_pages_last_record() -> None:
    with running_app(create_app(config(complaints=12, repeat_across_pages=True))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        page1 = client.get("/api/v1/laporan", params={"page": 1, "per_page": 5}).json()["data"]
        page2 = client.get("/api/v1/laporan", params={"page": 2, "per_page": 5}).json()["data"]
        page3 = client.get("/api/v1/laporan", params={"page": 3, "per_page": 5}).json()["data"]
        assert len(page1) == 5 and page2[0] == page1[-1] and page3[0] == page2[-1]
        ids = [r["id"] for r in page1 + page2 + page3]
        assert sorted(set(ids)) == list(range(1, 13)) and len(ids) == 14  # nothing lost, two repeated
        client.put("/_admin/faults", json={"repeat_across_pages": False})
        assert client.get("/api/v1/laporan", params={"page": 2, "per_page": 5}).json()["data"][0] != page1[-1]
    with running_app(create_app(config("open311", complaints=12, repeat_across_pages=True))) as base, httpx.Client(base_url=base) as client:
        one = client.get("/requests.json", params={"page": 1, "page_size": 5}).json()
        two = client.get("/requests.json", params={"page": 2, "page_size": 5}).json()
        assert two[0] == one[-1] and len(two) == 6


def test_clock_skew_moves_the_apps_own_timestamps() -> None:
    with running_app(create_app(config(complaints=2))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        client.put("/_admin/faults", json={"clock_skew_seconds": 3600})
        created = client.post("/api/v1/laporan", json={"judul": "Parkir liar", "isi_laporan": "Setiap sore macet."}).json()
        stamp = datetime.strptime(created["tanggal_dibuat"], "%d/%m/%Y %H:%M:%S").replace(tzinfo=ZoneInfo("Asia/Jakarta"))
        ahead = stamp - datetime.now(UTC)
        assert timedelta(minutes=59) <= ahead <= timedelta(minutes=61)
        client.put("/_admin/faults", json={"clock_skew_seconds": -600})
        note = client.post(f"/api/v1/laporan/{created['id']}/tanggapan", json={"isi": "Diteruskan."}).json()
        later = datetime.strptime(note["laporan"]["tanggapan"][-1]["tanggal"], "%d/%m/%Y %H:%M:%S").replace(tzinfo=ZoneInfo("Asia/Jakarta"))
        assert timedelta(minutes=-11) <= later - datetime.now(UTC) <= timedelta(minutes=-9)
        assert later < stamp  # a clock running behind writes an earlier time than before


@pytest.mark.parametrize("kind", ["rest", "open311", "csv"])
def test_the_same_seed_and_reference_time_serve_identical_records(kind: str) -> None:
    paths = {"rest": "/api/v1/laporan?per_page=100", "open311": "/requests.json?page_size=100", "csv": "/export/laporan.csv"}
    with running_app(create_app(config(kind, seed=21))) as one, running_app(create_app(config(kind, seed=21))) as two:
        a = httpx.get(one + paths[kind], headers=KEY)
        b = httpx.get(two + paths[kind], headers=KEY)
        assert a.status_code == 200 and a.content == b.content
        assert httpx.get(f"{one}/_admin/ground-truth").json() == httpx.get(f"{two}/_admin/ground-truth").json()
