"""Sync across real processes: killed mid-run, and two hubs at once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from itertools import pairwise

import httpx
from sqlalchemy import func, select

from hub.domain.sla import ServiceLevels
from hub.simulators.faults import FaultConfig
from hub.simulators.region_file import write_region_file
from hub.store.models import Complaint, ComplaintSource
from hub.store.sync_models import RunStatus, SyncRun
from hub.sync.runs import PullRun
from tests.e2e.regional import API_KEY_ENV, assert_matches, regions


def region_file(tmp_path, registry) -> str:
    entries = [r.model_dump(mode="json", exclude_none=True) for r in registry.regions]
    return str(write_region_file(tmp_path / "regions.yaml", entries))


def hub_env(database_url: str, regions_path: str) -> dict[str, str]:
    return {**os.environ, "HUB_DATABASE_URL": database_url, "HUB_REGIONS_FILE": regions_path, API_KEY_ENV: "sim-key"}


async def runs(engine) -> list[SyncRun]:
    async with engine.connect() as connection:
        return list((await connection.execute(select(SyncRun).order_by(SyncRun.id))).all())


async def test_a_sync_killed_between_pages_ends_in_the_same_state(engine, database_url, monkeypatch, tmp_path):
    with regions(monkeypatch, complaints=120, kinds=("rest",), faults=FaultConfig(latency_ms=150)) as (found, registry):
        env = hub_env(database_url, region_file(tmp_path, registry))
        process = subprocess.Popen([sys.executable, "-m", "hub.cli", "sync", "--region", "19.71"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                done = [r for r in await runs(engine) if r.pages >= 3]
                if done:
                    break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("the sync never got past page 3")
            os.kill(process.pid, signal.SIGKILL)  # a real kill, between two pages
            process.wait(timeout=10)
        finally:
            if process.poll() is None:
                process.kill()
        (killed,) = await runs(engine)
        assert killed.status is RunStatus.RUNNING and 3 <= killed.pages < 8

        found["rest"].faults(latency_ms=0)
        report = await PullRun(engine, registry.regions[0], levels=ServiceLevels()).execute()
        assert report.status is RunStatus.SUCCEEDED
        await assert_matches(engine, found["rest"])
        first, second = await runs(engine)
        assert first.status is RunStatus.INTERRUPTED
        async with engine.connect() as connection:
            complaints = (await connection.execute(select(func.count()).select_from(Complaint))).scalar_one()
            sources = (await connection.execute(select(func.count()).select_from(ComplaintSource))).scalar_one()
        assert complaints == sources == 120


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_two_hub_processes_never_sync_one_region_at_once(engine, database_url, monkeypatch, tmp_path):
    with regions(monkeypatch, complaints=60, faults=FaultConfig(latency_ms=80)) as (found, registry):
        for region in registry.regions:
            region.schedule.interval_seconds = 1
        env = hub_env(database_url, region_file(tmp_path, registry))
        ports = [_free_port(), _free_port()]
        hubs = [subprocess.Popen([sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1", "--port", str(port),
                                  "--log-level", "warning"], env=env, cwd=os.getcwd()) for port in ports]
        try:
            for port in ports:
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    try:
                        if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    await asyncio.sleep(0.1)
            for region in found.values():
                region.tick(5)
            deadline = time.monotonic() + 40
            while time.monotonic() < deadline:  # until both processes have won the lock at least once
                await asyncio.sleep(1)
                if len({r.instance for r in await runs(engine) if r.finished_at is not None}) == 2:
                    break
            for region in found.values():
                region.faults(latency_ms=0)
            await asyncio.sleep(3)
        finally:
            for hub in hubs:
                hub.send_signal(signal.SIGINT)
            for hub in hubs:
                try:
                    hub.wait(timeout=60)  # a graceful stop releases the region locks it holds
                except subprocess.TimeoutExpired:
                    hub.kill()
                    hub.wait(timeout=10)
        finished = [r for r in await runs(engine) if r.finished_at is not None]
        instances = {r.instance for r in finished}
        assert len(instances) == 2  # both processes ran syncs
        for region in registry.regions:
            mine = sorted((r for r in finished if r.region_code == region.code), key=lambda r: r.started_at)
            assert len(mine) >= 2
            for earlier, later in pairwise(mine):
                assert later.started_at >= earlier.finished_at, f"{region.code}: overlapping runs {earlier.id} and {later.id}"
        report = [await PullRun(engine, r, levels=ServiceLevels()).execute() for r in registry.regions]
        assert all(r.status is RunStatus.SUCCEEDED for r in report), report
        for region in found.values():
            await assert_matches(engine, region)
