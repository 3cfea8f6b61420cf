"""Process roles: API processes that serve, worker processes that sync and push, one database."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from itertools import pairwise

import httpx
from sqlalchemy import select

from hub.domain.sla import ServiceLevels
from hub.simulators.faults import FaultConfig
from hub.store.outbox_models import OutboxRow, OutboxStatus
from hub.store.sync_models import RunStatus, SyncRun
from hub.sync.runs import PullRun
from tests.e2e.regional import assert_matches, regions
from tests.e2e.test_sync_processes import hub_env, region_file
from tests.mutations.helpers import SUBMIT, complaint_input


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"process on port {port} exited with {process.returncode}"
        try:
            answer = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            if answer.status_code == 200:
                return answer.json()
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.2)
    raise AssertionError(f"nothing healthy on port {port}")


async def _rows(engine, model) -> list:
    async with engine.connect() as connection:
        return list((await connection.execute(select(model).order_by(model.id))).all())


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


async def test_api_and_worker_processes_share_one_database(engine, database_url, monkeypatch, tmp_path):
    with regions(monkeypatch, complaints=40, faults=FaultConfig(latency_ms=50, error_rate=0.1)) as (found, registry):
        for region in registry.regions:
            region.schedule.interval_seconds = 1
        # the workers' deadline job would close the regions' old unanswered resolutions: not today
        env = {**hub_env(database_url, region_file(tmp_path, registry)), "HUB_SLA_REPORTER_ANSWER_DAYS": "400"}
        api_port, worker_ports = _free_port(), [_free_port(), _free_port()]
        python = [sys.executable, "-m", "hub.cli"]
        subprocess.run([*python, "migrate"], env=env, check=True, capture_output=True, timeout=120)  # once, first
        logs = [open(tmp_path / f"process-{n}.log", "wb") for n in range(3)]  # noqa: SIM115  # read after a failure
        api = subprocess.Popen([*python, "serve", "--workers", "2", "--port", str(api_port)], env=env,
                               stdout=logs[0], stderr=subprocess.STDOUT)
        workers = [subprocess.Popen([*python, "worker", "--health-port", str(port)], env=env,
                                    stdout=log, stderr=subprocess.STDOUT) for port, log in zip(worker_ports, logs[1:], strict=True)]
        processes = [api, *workers]
        try:
            assert (await _wait_healthy(api_port, api))["status"] == "ok"
            for port, process in zip(worker_ports, workers, strict=True):
                assert (await _wait_healthy(port, process))["role"] == "worker"
            ready = httpx.get(f"http://127.0.0.1:{api_port}/readyz", timeout=5).json()
            assert ready["status"] == "ready" and ready["scheduler"] == "not in this process (role api)"
            assert httpx.get(f"http://127.0.0.1:{worker_ports[0]}/graphql", timeout=5).status_code == 404

            async def submit(count: int) -> list[str]:
                tracked = []
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{api_port}", timeout=30) as http:
                    for n in range(count):
                        answer = await http.post("/graphql", json={"query": SUBMIT, "variables": {
                            "input": complaint_input(title=f"Lampu PJU mati di gang {len(submitted) + n}")}})
                        tracked.append(answer.json()["data"]["r"]["complaint"]["trackingId"])
                return tracked

            submitted: list[str] = []
            submitted += await submit(3)
            for region in found.values():
                region.tick(5)
            deadline = time.monotonic() + 60  # until both workers have won a region's lock
            while time.monotonic() < deadline:
                await asyncio.sleep(0.5)
                if len({r.instance for r in await _rows(engine, SyncRun) if r.finished_at is not None}) == 2:
                    break

            # one worker killed mid-run: the other carries on, nothing is lost
            victim = workers[0]
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if any(r.status is RunStatus.RUNNING and r.instance.split(":")[1] == str(victim.pid)
                       for r in await _rows(engine, SyncRun)):
                    break
                await asyncio.sleep(0.02)
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait(timeout=10)
            submitted += await submit(3)
            for region in found.values():
                region.tick(5)
            for region in found.values():
                region.faults(error_rate=0)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # every push delivered, and a few more rounds of sync
                rows = await _rows(engine, OutboxRow)
                if len(rows) >= 6 and all(r.status is OutboxStatus.DELIVERED for r in rows):
                    break
                await asyncio.sleep(0.5)
            await asyncio.sleep(3)
        finally:
            _stop(processes)
            for log in logs:
                log.close()

        runs = await _rows(engine, SyncRun)
        finished = [r for r in runs if r.finished_at is not None]
        pids = {r.instance.split(":")[1] for r in runs}
        assert pids == {str(w.pid) for w in workers}  # the API processes never pulled, both workers did
        for region in registry.regions:
            mine = sorted((r for r in finished if r.region_code == region.code), key=lambda r: r.started_at)
            assert len(mine) >= 2
            for earlier, later in pairwise(mine):
                assert later.started_at >= earlier.finished_at, f"{region.code}: overlapping runs {earlier.id}, {later.id}"

        rows = await _rows(engine, OutboxRow)
        assert rows and all(r.status is OutboxStatus.DELIVERED for r in rows)
        arrived = [r["kode_lapor"] for r in found["rest"].ground_truth() if r.get("kode_lapor") in submitted]
        assert sorted(arrived) == sorted(submitted), "each national complaint reaches its region exactly once"

        for region in registry.regions:  # a last pull, then the national record equals every region's truth
            assert (await PullRun(engine, region, levels=ServiceLevels()).execute()).status is RunStatus.SUCCEEDED
        for region in found.values():
            await assert_matches(engine, region)


def test_a_worker_without_a_health_port_runs_until_told_to_stop(tmp_path):
    env = {**os.environ, "HUB_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}"}
    env.pop("HUB_REGIONS_FILE", None)
    worker = subprocess.Popen([sys.executable, "-m", "hub.cli", "worker"], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert worker.stdout is not None
        started = ""
        deadline = time.monotonic() + 240
        while "worker started" not in started and time.monotonic() < deadline:
            line = worker.stdout.readline()
            assert line, f"the worker exited: {started}"
            started += line
        assert "worker started: 0 region(s) scheduled" in started
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
        assert "worker stopping" in worker.stdout.read()
    finally:
        if worker.poll() is None:
            worker.kill()
