"""Two API processes and two worker processes on one PostgreSQL, against the multi-region simulator with
faults: a worker killed mid-run loses nothing, every push arrives once, the record equals every region's truth."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from itertools import pairwise

import httpx
import pytest

from hub.connectors.registry import parse_registry
from hub.simulators.faults import FaultConfig
from hub.simulators.many import ManyConfig, create_many_app, region_entries
from hub.simulators.region_file import write_region_file
from hub.simulators.testing import running_app
from hub.store.outbox_models import OutboxRow, OutboxStatus
from hub.store.sync_models import RunStatus, SyncRun
from tests.e2e.regional import API_KEY_ENV, Region, assert_matches
from tests.e2e.test_process_roles import _free_port, _rows, _stop, _wait_healthy
from tests.e2e.test_sync_processes import hub_env
from tests.mutations.helpers import SUBMIT, complaint_input

HUB = [sys.executable, "-m", "hub.cli"]


async def _until(what: str, check, timeout: float, every: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = await check()
        if found:
            return found
        await asyncio.sleep(every)
    raise AssertionError(f"not within {timeout:g} s: {what}")


async def test_two_api_and_two_worker_processes_keep_six_regions_whole(engine, database_url, monkeypatch, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: processes on several machines share one PostgreSQL, never a SQLite file")
    monkeypatch.setenv(API_KEY_ENV, "sim-key")
    config = ManyConfig(regions=6, complaints=30, latency_ms=20, activity=0, faulty_share=0.5,
                        faults=FaultConfig(error_rate=0.2))
    with running_app(create_many_app(config)) as base:
        entries = region_entries(config, base, api_key_env=API_KEY_ENV, interval_seconds=2, page_size=5,
                                 timeout_seconds=5, max_attempts=8)
        registry = parse_registry({"regions": entries})
        regions = {r.code: Region(kind=r.connector, code=r.code, base_url=r.base_url, source_system=r.source_system)
                   for r in registry.regions}
        writable = [r for r in regions.values() if r.kind != "csv"]  # a CSV export takes no writes
        # the workers' deadline job would close the regions' old unanswered resolutions: not today
        env = {**hub_env(database_url, str(write_region_file(tmp_path / "regions.yaml", entries))),
               "HUB_SLA_REPORTER_ANSWER_DAYS": "400"}
        # the fixture migrated the database: every process finds it at head
        api_ports, worker_ports = [_free_port(), _free_port()], [_free_port(), _free_port()]
        logs = [open(tmp_path / f"process-{n}.log", "wb") for n in range(4)]  # noqa: SIM115  # read after a failure
        apis = [subprocess.Popen([*HUB, "serve", "--port", str(port)], env={**env, "HUB_ROLE": "api"},
                                 stdout=log, stderr=subprocess.STDOUT) for port, log in zip(api_ports, logs[:2], strict=True)]
        workers = [subprocess.Popen([*HUB, "worker", "--health-port", str(port)], env=env, stdout=log,
                                    stderr=subprocess.STDOUT) for port, log in zip(worker_ports, logs[2:], strict=True)]
        submitted: list[str] = []

        async def submit(count: int) -> None:  # through both API processes in turn, to every region that takes writes
            for _ in range(count):
                region = writable[len(submitted) % len(writable)]
                port = api_ports[len(submitted) % 2]
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
                    answer = await http.post("/graphql", json={"query": SUBMIT, "variables": {"input": complaint_input(
                        title=f"Jalan berlubang di gang {len(submitted)}", regionCode=region.code)}})
                submitted.append(answer.json()["data"]["r"]["complaint"]["trackingId"])

        try:
            for port, process in zip(api_ports + worker_ports, apis + workers, strict=True):
                await _wait_healthy(port, process)
            await submit(4)

            # one worker killed with SIGKILL in the middle of a run
            victim = workers[0]

            async def victim_running() -> list[SyncRun]:
                return [r for r in await _rows(engine, SyncRun)
                        if r.status is RunStatus.RUNNING and r.instance.split(":")[1] == str(victim.pid)]

            killed = (await _until("the first worker runs a region", victim_running, 60, every=0.01))[0]
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait(timeout=10)

            await submit(4)
            for region in regions.values():
                region.tick(3)
            for region in regions.values():
                region.faults(error_rate=0)

            async def delivered() -> bool:
                rows = await _rows(engine, OutboxRow)
                return len(rows) >= len(submitted) and all(r.status is OutboxStatus.DELIVERED for r in rows)

            await _until("every push delivered", delivered, 60)
            caught_up = datetime.now(UTC)

            async def every_region_read_since() -> bool:
                runs = await _rows(engine, SyncRun)
                return all(any(r.region_code == code and r.status is RunStatus.SUCCEEDED and r.started_at > caught_up
                               for r in runs) for code in regions)

            await _until("every region read again after the last change", every_region_read_since, 60)
        finally:
            _stop(apis + workers)
            for log in logs:
                log.close()

        runs = await _rows(engine, SyncRun)
        assert not [r.id for r in runs if r.status is RunStatus.RUNNING], "no run stays RUNNING"
        assert next(r for r in runs if r.id == killed.id).status is RunStatus.INTERRUPTED
        assert {r.instance.split(":")[1] for r in runs} == {str(w.pid) for w in workers}  # the API processes never pulled
        for code in regions:
            mine = sorted((r for r in runs if r.region_code == code), key=lambda r: r.started_at)
            for earlier, later in pairwise(mine):
                assert later.started_at >= earlier.finished_at, f"{code}: overlapping runs {earlier.id}, {later.id}"

        pushed = Counter()  # what the regions received: the national tracking id on each record they hold
        for region in writable:
            field = "kode_lapor" if region.kind == "rest" else "lapor_tracking_id"
            pushed.update(r[field] for r in region.ground_truth() if r.get(field) in submitted)
        assert pushed == Counter(submitted), "each national complaint reaches its region exactly once"

        for region in regions.values():  # the record the workers left equals each region's truth, no extra pull
            await assert_matches(engine, region)
