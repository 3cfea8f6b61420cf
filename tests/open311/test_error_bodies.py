"""Each kind of error body a server sends surfaces in ``connectors`` and
``syncRuns`` as one line that names the region and quotes the server."""

from __future__ import annotations

import pytest

from hub.domain.vocabulary import Role
from hub.simulators import FaultConfig
from hub.simulators.region_file import write_region_file
from tests.hubclient import nodes
from tests.open311.servers import open311_region
from tests.sync_api.test_sync_fields import TRIGGER, unscheduled_hub

CONNECTORS = "{ connectors { regionCode health lastError } }"
RUNS = "query Runs($code: String) { syncRuns(regionCode: $code) { edges { node { id status error } } } }"

CASES = {
    # the spec's error format in XML: <errors><error><code>404</code><description>...
    "xml": ({"flavour": "georeport", "options": {"format": "xml", "jurisdiction_id": "elsewhere.go.id"}},
            ["answered 404", '"jurisdiction_id elsewhere.go.id was not found (this server serves']),
    # the spec's error format in JSON: [{"code": 400, "description": ...}]
    "json list": ({"jurisdiction_id": "pontianak.go.id"},
                  ["answered 400", '"jurisdiction_id was not provided (this server serves pontianak.go.id)"']),
    # a JSON object with an error message, from a server in trouble
    "json object": ({"faults": FaultConfig(error_rate=1.0)}, ["answered 503", '"simulated server error"']),
    # an HTML page with status 200 where the data belongs
    "html": ({"faults": FaultConfig(html_rate=1.0)}, ["answered 200 with an HTML page instead of data"]),
}


@pytest.mark.parametrize("kind", list(CASES))
async def test_an_error_body_is_one_line_naming_the_region_and_quoting_the_server(database_url, tmp_path, monkeypatch, kind):
    setup, quoted = CASES[kind]
    with open311_region(monkeypatch, complaints=5, **setup) as (region, config):
        entry = {"code": config.code, "connector": "open311", "base_url": config.base_url, "name": "Lapor Pontianak",
                 "credentials": config.credentials, "options": config.options, "max_attempts": 2,
                 "mapping": config.mapping.model_dump(mode="json", exclude_none=True)}
        async with unscheduled_hub(database_url, write_region_file(tmp_path / "regions.yaml", [entry])) as hub:
            admin = hub.token(Role.NATIONAL_ADMIN)
            run = (await hub.query(TRIGGER, {"code": "61.71"}, token=admin))["triggerSync"]["run"]
            assert run["status"] == "FAILED"
            runs = nodes((await hub.query(RUNS, {"code": "61.71"}, token=admin))["syncRuns"])
            connector = (await hub.query(CONNECTORS, token=admin))["connectors"][0]
    for line in (run["error"], runs[0]["error"], connector["lastError"]):
        assert "\n" not in line and line.startswith("region 61.71 (Lapor Pontianak): GET /requests."), line
        for words in quoted:
            assert words in line, line
    if kind == "html":
        assert any(title in run["error"] for title in ('"Sedang Dalam Pemeliharaan"', '"Login Hotspot"')), run["error"]
