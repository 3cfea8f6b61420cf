"""What an operator scrapes and reads: /metrics, /readyz, JSON logs with request ids."""

from __future__ import annotations

import json
import logging

import yaml
from prometheus_client.parser import text_string_to_metric_families

from hub.domain.vocabulary import Role
from hub.observability.logs import JsonFormatter, request_id
from hub.simulators import SimulatorConfig
from hub.simulators import create_app as create_simulator
from hub.simulators.region_file import rest_entry
from hub.simulators.testing import running_app
from tests.hubclient import hub_client

API_KEY_ENV = "HUB_TEST_METRICS_API_KEY"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


async def test_sync_counters_and_lag_move_when_a_region_syncs(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv(API_KEY_ENV, "sim-key")
    config = SimulatorConfig(kind="rest", region_code="19.71", seed=3, complaints=12)
    with running_app(create_simulator(config)) as base:
        regions = tmp_path / "regions.yaml"
        regions.write_text(yaml.safe_dump({"regions": [rest_entry("19.71", base, api_key_env=API_KEY_ENV)]}))
        async with hub_client(database_url, regions_file=str(regions), metrics_operations="Sync") as hub:
            before = samples((await hub.http.get("/metrics")).text)
            admin = hub.token(Role.NATIONAL_ADMIN)
            await hub.query('mutation Sync { triggerSync(regionCode: "19.71") { ... on TriggerSyncPayload { started } } }', token=admin)
            response = await hub.http.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    after = samples(response.text)
    region = (("region", "19.71"),)
    runs = ("hub_sync_runs_total", (("region", "19.71"), ("status", "SUCCEEDED")))
    assert after[runs] >= before.get(runs, 0) + 1 >= 1  # the scheduler's first run may come before ours
    assert after[("hub_sync_records_applied_total", region)] == 12
    assert after[("hub_sync_records_rejected_total", region)] == 0
    assert 0 <= after[("hub_sync_lag_seconds", region)] < 60
    assert after[("hub_outbox_depth", (("status", "PENDING"),))] == 0
    assert after[("hub_graphql_request_duration_seconds_count", (("operation", "Sync"),))] == 1


async def test_graphql_latency_is_recorded_per_operation(database_url):
    async with hub_client(database_url, metrics_operations="Provinces, Categories") as hub:
        await hub.query("query Provinces { regions(level: PROVINCE) { code } }")
        await hub.query("query Provinces { regions(level: PROVINCE) { code } }")
        await hub.query("{ categories { code } }")
        await hub.query("query Unlisted { categories { code } }")
        found = samples((await hub.http.get("/metrics")).text)
    assert found[("hub_graphql_request_duration_seconds_count", (("operation", "Provinces"),))] == 2
    assert found[("hub_graphql_request_duration_seconds_count", (("operation", "anonymous"),))] == 1
    assert found[("hub_graphql_request_duration_seconds_count", (("operation", "other"),))] == 1


async def test_random_operation_names_do_not_grow_the_metrics(database_url):
    import random
    import string

    chooser = random.Random(13)
    async with hub_client(database_url, schedule=False) as hub:
        await hub.query("query First { categories { code } }")
        first = (await hub.http.get("/metrics")).text
        for n in range(150):
            name = "Q" + "".join(chooser.choices(string.ascii_letters, k=chooser.randint(5, 40 if n else 20_000)))
            response = await hub.post(f"query {name} {{ categories {{ code }} }}")
            assert response.status_code == 200
        text = (await hub.http.get("/metrics")).text
    found = samples(text)
    assert found.keys() == samples(first).keys()  # the same series, only their values moved
    assert len(text) < len(first) + 200
    assert found[("hub_graphql_request_duration_seconds_count", (("operation", "other"),))] == 151


async def test_readyz_needs_the_database_and_a_running_scheduler(database_url, tmp_path, monkeypatch):
    async with hub_client(database_url) as hub:
        ready = await hub.http.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "ok"
    monkeypatch.setenv(API_KEY_ENV, "sim-key")
    regions = tmp_path / "regions.yaml"
    regions.write_text(yaml.safe_dump({"regions": [rest_entry("19.71", "http://127.0.0.1:9", api_key_env=API_KEY_ENV)]}))
    async with hub_client(database_url, regions_file=str(regions)) as hub:
        running = await hub.http.get("/readyz")
        hub.http._transport.app.state.runtime.jobs.scheduler.shutdown(wait=False)  # type: ignore[attr-defined]
        stopped = await hub.http.get("/readyz")
    assert running.status_code == 200 and running.json()["scheduler"] == "running"
    assert stopped.status_code == 503 and stopped.json() == {"status": "unavailable", "database": "ok",
                                                             "scheduler": "stopped"}


async def test_every_response_carries_a_request_id(database_url):
    async with hub_client(database_url) as hub:
        given = await hub.http.get("/healthz", headers={"X-Request-ID": "abc-123"})
        made = await hub.http.get("/healthz")
    assert given.headers["x-request-id"] == "abc-123"
    assert len(made.headers["x-request-id"]) == 32


def test_log_lines_are_json_with_the_request_id():
    record = logging.LogRecord("hub.app", logging.WARNING, __file__, 1, "database %s", ("slow",), None)
    token = request_id.set("req-42")
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["level"] == "WARNING" and line["logger"] == "hub.app"
    assert line["message"] == "database slow" and line["request_id"] == "req-42"
    assert line["time"].endswith("+00:00")


async def test_a_refused_request_is_one_info_line_without_a_traceback(database_url, caplog):
    async with hub_client(database_url) as hub:
        with caplog.at_level(logging.INFO):
            answer = await hub.http.post("/graphql", json={"query": "{ connectorsOverview { healthy } }"})
    assert answer.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    refusals = [r for r in caplog.records if "connectorsOverview" in r.getMessage()]
    assert [(r.levelno, r.exc_info) for r in refusals] == [(logging.INFO, None)]
    assert "FORBIDDEN" in refusals[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
