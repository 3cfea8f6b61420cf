"""Many simulated regions in one process, each under its own path, synced into one national record."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter

import httpx
import pytest
import yaml
from sqlalchemy import select

from hub.connectors.registry import load_registry, parse_registry
from hub.domain.sla import ServiceLevels
from hub.simulators.apps import create_app
from hub.simulators.faults import FaultConfig
from hub.simulators.many import ManyConfig, create_many_app, plan, region_entries
from hub.simulators.region_file import open311_entry
from hub.simulators.testing import running_app
from hub.store.models import Complaint
from hub.store.sync_models import RunStatus
from hub.sync.runs import PullRun
from tests.e2e.regional import API_KEY_ENV, Region, assert_matches


async def test_six_regions_of_three_families_sync_into_the_national_record(engine, monkeypatch):
    monkeypatch.setenv(API_KEY_ENV, "sim-key")
    config = ManyConfig(regions=6, complaints=12, latency_ms=20, activity=0, faulty_share=0.5,
                        faults=FaultConfig(error_rate=0.3))
    with running_app(create_many_app(config)) as base:
        listed = httpx.get(f"{base}/_admin/regions", timeout=10).json()["regions"]
        assert Counter(r["kind"] for r in listed) == {"rest": 3, "open311": 2, "csv": 1}
        assert [r["faults"]["error_rate"] for r in listed] == [0, 0.3, 0, 0.3, 0, 0.3]
        assert all(r["faults"]["latency_ms"] == 20 for r in listed)
        registry = parse_registry({"regions": region_entries(config, base, api_key_env=API_KEY_ENV, max_attempts=8,
                                                             page_size=5)})
        regions = {r.code: Region(kind=r.connector, code=r.code, base_url=r.base_url, source_system=r.source_system)
                   for r in registry.regions}
        for region in registry.regions:
            report = await PullRun(engine, region, levels=ServiceLevels()).execute()
            assert report.status is RunStatus.SUCCEEDED, report.error
        for region in regions.values():  # each region's own ground truth, under its own path
            await assert_matches(engine, region)

        # live activity in one region reaches the national record with the next run, and only that region's
        busy = regions[listed[0]["code"]]
        busy.tick(3)
        before = len(busy.ground_truth())
        report = await PullRun(engine, registry.by_code()[busy.code], levels=ServiceLevels()).execute()
        assert report.status is RunStatus.SUCCEEDED and report.created + report.updated >= 1
        await assert_matches(engine, busy)
        assert len(busy.ground_truth()) == before


def test_a_nation_is_552_regions_regencies_and_cities_first_then_provinces():
    planned = plan(ManyConfig(regions=552))
    codes = [sim.region_code for sim in planned]
    assert len(set(codes)) == 552
    assert all("." in code for code in codes[:514]) and codes[514:] == sorted(codes[514:])
    assert {len(code) for code in codes[514:]} == {2} and "61" in codes[514:]  # Kalimantan Barat's own app
    assert Counter(sim.kind for sim in planned) == {"rest": 276, "open311": 166, "csv": 110}
    assert codes[:50] == [sim.region_code for sim in plan(ManyConfig(regions=50))]  # smaller runs stay comparable
    with pytest.raises(ValueError, match="between 1 and 552"):
        ManyConfig(regions=553)


async def test_a_province_app_syncs_into_the_province_own_complaints(engine, monkeypatch):
    monkeypatch.setenv(API_KEY_ENV, "sim-key")
    config = ManyConfig(regions=516, complaints=6, latency_ms=0, activity=0)
    province = plan(config)[-1]
    assert (province.region_code, province.kind) == ("12", "open311")  # Sumatera Utara, the second province
    assert region_entries(config, "http://sim.invalid", api_key_env=API_KEY_ENV)[-1]["code"] == "12"
    with running_app(create_app(province)) as base:
        (region,) = parse_registry({"regions": [open311_entry("12", base, api_key_env=API_KEY_ENV)]}).regions
        assert (await PullRun(engine, region, levels=ServiceLevels()).execute()).status is RunStatus.SUCCEEDED
        await assert_matches(engine, Region(kind="open311", code="12", base_url=base, source_system=region.source_system))
    async with engine.connect() as connection:
        assert set((await connection.execute(select(Complaint.region_code))).scalars()) == {"12"}


def test_hub_simulate_many_serves_the_regions_and_writes_their_region_file(tmp_path):
    port, path = _free_port(), tmp_path / "regions.yaml"
    process = subprocess.Popen([sys.executable, "-m", "hub.cli", "simulate", "many", "--regions", "4", "--port", str(port),
                                "--complaints", "5", "--region-file", str(path), "--interval", "30"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/_admin/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
                time.sleep(0.2)
        registry = load_registry(str(path), environ={"HUB_SIM_API_KEY": "sim-key"})  # the key it printed
        assert [r.code for r in registry.regions] == [r["code"] for r in yaml.safe_load(path.read_text())["regions"]]
        assert len(registry.regions) == 4 and {r.schedule.interval_seconds for r in registry.regions} == {30}
        for region in registry.regions:
            assert region.base_url == f"http://127.0.0.1:{port}/r/{region.code}"
            truth = httpx.get(f"{region.base_url}/_admin/ground-truth", timeout=10).json()["records"]
            assert len(truth) == 5
    finally:
        process.terminate()
        process.wait(timeout=30)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
