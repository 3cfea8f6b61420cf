"""A complaint filed on the hub's web form and again in the region's own app is flagged once, on pull."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from hub.connectors.registry import parse_registry
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import Role
from hub.simulators import SimulatorConfig, create_app
from hub.simulators.region_file import rest_entry
from hub.simulators.testing import running_app
from hub.store.sync_models import RunStatus
from hub.sync.runs import PullRun
from tests.e2e.regional import API_KEY_ENV
from tests.e2e.test_write_path import region_file
from tests.hubclient import hub_client
from tests.mutations.helpers import submit

FLAGS = """{ duplicateFlags { totalCount edges { node { complaint { trackingId channel sources { sourceSystem } }
  duplicateOf { trackingId channel } } } } }"""


async def test_the_hub_web_form_and_the_regional_app_meet_in_one_flag(engine, database_url, monkeypatch, tmp_path):
    monkeypatch.setenv(API_KEY_ENV, "sim-key")
    config = SimulatorConfig(kind="rest", region_code="19.71", seed=3, complaints=5,
                             reference_now=datetime.now(UTC))  # the region's clock agrees with the hub's
    with running_app(create_app(config)) as base:
        registry = parse_registry({"regions": [rest_entry("19.71", base, api_key_env=API_KEY_ENV, page_size=15)]})
        async with hub_client(database_url, schedule=False, regions_file=region_file(tmp_path, registry)) as hub:
            web = await submit(hub, reporter={"name": "Siti Rahayu", "phone": "081234567890"})
            await hub.runtime.dispatcher.settled()  # the hub's own copy reached the region
            httpx.post(f"{base}/api/v1/laporan", headers={"X-API-Key": "sim-key"}, json={
                "judul": "Lampu PJU mati di Jl Merdeka", "isi_laporan": "sudah seminggu gelap, rawan kecelakaan",
                "kategori": "Penerangan Jalan", "pelapor": {"nama": "Siti", "telepon": "6281234567890"},
            }).raise_for_status()
            for _ in range(2):
                report = await PullRun(engine, registry.regions[0], levels=ServiceLevels(), full=True).execute()
                assert report.status is RunStatus.SUCCEEDED
            data = (await hub.query(FLAGS, token=hub.token(Role.NATIONAL_ADMIN)))["duplicateFlags"]
    assert data["totalCount"] == 1
    flag = data["edges"][0]["node"]
    assert flag["duplicateOf"] == {"trackingId": web["trackingId"], "channel": "WEB"}
    assert flag["complaint"]["channel"] == "REGIONAL_APP"
    assert [s["sourceSystem"] for s in flag["complaint"]["sources"]] == ["rest:19.71"]
