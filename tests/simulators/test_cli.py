"""``hub simulate`` run as a command, the way a developer starts a simulator."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from datetime import datetime

import httpx
from typer.testing import CliRunner

from hub.cli import app

REQUIRED = ("service_request_id", "status", "service_code", "requested_datetime", "updated_datetime", "description")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base: str, process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1].decode()
        try:
            if httpx.get(f"{base}/_admin/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the simulator did not start")


def test_hub_simulate_open311_serves_georeport_requests() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "simulate", "open311", "--region", "61.71", "--port", str(port), "--complaints", "15"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        assert httpx.get(f"{base}/_admin/healthz").json() == {"status": "ok", "kind": "open311", "region": "61.71"}
        answer = httpx.get(f"{base}/requests.json")
        assert answer.status_code == 200
        requests = answer.json()
        assert isinstance(requests, list) and len(requests) == 15
        for record in requests:
            for name in REQUIRED:
                assert record[name], name
            assert record["status"] in ("open", "closed")
            assert (record["lat"] is not None and record["long"] is not None) or record["address"]
            assert datetime.fromisoformat(record["requested_datetime"]) <= datetime.fromisoformat(record["updated_datetime"])
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=15)
    assert f"open311 simulator for region 61.71 on http://127.0.0.1:{port}" in " ".join(out.decode().split())


def test_hub_simulate_rest_takes_its_habits_as_options() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "simulate", "rest", "--region", "19.71", "--port", str(port), "--complaints", "12",
         "--paging", "link", "--order", "newest", "--auth", "bearer", "--flags", "ya-tidak", "--privacy", "word",
         "--dialect", "aduan", "--api-key", "kunci-rahasia"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        assert httpx.get(f"{base}/_admin/habits").json() == {"paging": "link", "order": "newest", "auth": "bearer",
                                                             "flags": "ya-tidak", "privacy": "word", "dialect": "aduan"}
        assert httpx.get(f"{base}/api/v1/laporan", headers={"X-API-Key": "kunci-rahasia"}).status_code == 401
        assert httpx.get(f"{base}/api/v1/laporan", headers={"Authorization": "Bearer sim-key"}).status_code == 401
        answer = httpx.get(f"{base}/api/v1/laporan", headers={"Authorization": "Bearer kunci-rahasia"}, params={"per_page": 5})
        assert answer.status_code == 200 and set(answer.links) == {"next", "last"}
        records = answer.json()["data"]
        assert {r["pelapor"]["anonim"] for r in records} <= {"ya", "tidak"} and {r["sifat"] for r in records} <= {"rahasia", "biasa"}
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=15)
    assert "paging=link, order=newest, auth=bearer" in " ".join(out.decode().split())
    assert "api key: kunci-rahasia" in out.decode()


def test_hub_simulate_open311_takes_a_flavour_and_habits() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "hub.cli", "simulate", "open311", "--region", "61.71", "--port", str(port), "--complaints", "8",
         "--flavour", "georeport", "--habits", "cap=5,jurisdiction=pontianak.go.id"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        assert httpx.get(f"{base}/_admin/habits").json() == {
            "formats": "xml", "paging": "none", "window_days": 90, "cap": 5, "jurisdiction_id": "pontianak.go.id",
            "sparse_rate": 0.0, "updates": "absent", "hidden_requests": []}
        place = {"jurisdiction_id": "pontianak.go.id"}
        assert httpx.get(f"{base}/requests.json", params=place).status_code == 404
        answer = httpx.get(f"{base}/requests.xml", params=place)
        assert answer.status_code == 200 and answer.text.count("<request>") == 5
        assert httpx.get(f"{base}/servicerequestupdates.xml", params=place).status_code == 404
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=15)
    assert "paging=none" in " ".join(out.decode().split())


def test_hub_simulate_refuses_a_bad_region_or_fault_spec() -> None:
    for args in (["rest", "--region", "61.99", "--port", "1"], ["csv", "--region", "61.71", "--port", "1", "--faults", "speed=2"],
                 ["ftp", "--region", "61.71", "--port", "1"],
                 ["open311", "--region", "61.71", "--port", "1", "--flavour", "fancy"],
                 ["open311", "--region", "61.71", "--port", "1", "--habits", "paging=cursor"],
                 ["rest", "--region", "19.71", "--port", "1", "--flavour", "mysociety"]):
        done = subprocess.run([sys.executable, "-m", "hub.cli", "simulate", *args], capture_output=True, timeout=30)
        assert done.returncode == 2, args


def test_hub_simulate_refuses_an_unknown_habit_or_a_habit_of_another_kind() -> None:
    for args, said in ((["rest", "--paging", "scroll"], "paging 'scroll' is not one of page, offset, cursor, link, none"),
                       (["csv", "--order", "newest"], "habits of the rest simulator, not csv")):
        result = CliRunner().invoke(app, ["simulate", args[0], "--region", "19.71", "--port", "1", *args[1:]])
        assert result.exit_code == 2, args
        assert said in " ".join(result.output.split())
