"""Sync over GraphQL: triggerSync, connectors, syncRuns and rejectedRecords,
against the three simulated regional apps, scoped by role."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from hub.app import create_app
from hub.domain.vocabulary import Role
from hub.settings import Settings
from hub.simulators.region_file import csv_entry, open311_entry, rest_entry, write_region_file
from tests.e2e.regional import API_KEY_ENV, regions
from tests.hubclient import HubClient, StatementCounter, nodes

TRIGGER = """mutation Trigger($code: String!) {
  triggerSync(regionCode: $code) {
    __typename
    ... on TriggerSyncPayload {
      regionCode started
      run { id regionCode sourceSystem trigger status pages seen created updated unchanged rejected error }
    }
    ... on Error { message code field }
  }
}"""
CONNECTORS = """{ connectors {
  regionCode regionName type sourceSystem baseUrl schedule health lagSeconds cursor rejectedCount lastSuccessAt
  lastRun { id status seen created }
} }"""
RUNS = """query Runs($code: String) { syncRuns(regionCode: $code) { edges { node {
  id regionCode status trigger seen created updated } } } }"""
REJECTED = """query Rejected($code: String) { rejectedRecords(regionCode: $code) { edges { node {
  regionCode sourceSystem sourceId reason raw count } } } }"""


@asynccontextmanager
async def unscheduled_hub(database_url: str, regions_file: Path) -> AsyncIterator[HubClient]:
    """The hub with its region file loaded but no scheduled jobs, so only the test starts syncs."""
    settings = Settings(database_url=database_url, regions_file=str(regions_file))
    app = create_app(settings, schedule=False)
    runtime = app.state.runtime
    await runtime.start()
    assert runtime.sync is not None and not runtime.sync.running
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub.test") as http:
            yield HubClient(http, settings, StatementCounter())
    finally:
        await runtime.stop()


def region_file(tmp_path: Path, found) -> Path:
    return write_region_file(tmp_path / "regions.yaml", [
        rest_entry("19.71", found["rest"].base_url, api_key_env=API_KEY_ENV, interval_seconds=60, page_size=15),
        open311_entry("61.71", found["open311"].base_url, api_key_env=API_KEY_ENV, interval_seconds=60, page_size=15),
        csv_entry("64.09", found["csv"].base_url, schedule={"cron": "*/10 * * * *"}),
    ])


async def test_national_admin_triggers_a_sync_and_sees_it_everywhere(database_url, tmp_path, monkeypatch):
    with regions(monkeypatch, complaints=20) as (found, _):
        async with unscheduled_hub(database_url, region_file(tmp_path, found)) as hub:
            admin = hub.token(Role.NATIONAL_ADMIN)

            before = {c["regionCode"]: c for c in (await hub.query(CONNECTORS, token=admin))["connectors"]}
            assert set(before) == {"19.71", "61.71", "64.09"}
            assert {c["type"] for c in before.values()} == {"rest", "open311", "csv"}
            for connector in before.values():
                assert connector["health"] == "UNKNOWN"
                assert connector["lastRun"] is None and connector["lagSeconds"] is None and connector["cursor"] is None
                assert connector["rejectedCount"] == 0
            assert before["19.71"]["schedule"] == "every 60s"
            assert before["64.09"]["schedule"] == "cron */10 * * * *"
            assert before["19.71"]["sourceSystem"] == "rest:19.71"
            assert nodes((await hub.query(RUNS, token=admin))["syncRuns"]) == []

            triggered = (await hub.query(TRIGGER, {"code": "19.71"}, token=admin))["triggerSync"]
            assert triggered["regionCode"] == "19.71" and triggered["started"] is True
            run = triggered["run"]
            assert run["status"] == "SUCCEEDED", run["error"]
            assert run["trigger"] == "MANUAL" and run["sourceSystem"] == "rest:19.71"
            assert run["created"] == 20 and run["rejected"] == 0 and run["pages"] >= 2
            assert run["seen"] >= 20  # a record on a page boundary is read again, never applied twice

            again = (await hub.query(TRIGGER, {"code": "19.71"}, token=admin))["triggerSync"]["run"]
            assert again["status"] == "SUCCEEDED" and again["created"] == 0 and again["id"] > run["id"]

            after = {c["regionCode"]: c for c in (await hub.query(CONNECTORS, token=admin))["connectors"]}
            rest = after["19.71"]
            assert rest["health"] == "HEALTHY"
            assert rest["lastRun"] == {"id": again["id"], "status": "SUCCEEDED", "seen": again["seen"], "created": 0}
            assert 0 <= rest["lagSeconds"] < 60 and rest["lastSuccessAt"]
            assert isinstance(rest["cursor"], dict)
            assert after["61.71"]["health"] == "UNKNOWN" and after["61.71"]["lastRun"] is None

            runs = nodes((await hub.query(RUNS, {"code": "19.71"}, token=admin))["syncRuns"])
            assert [r["id"] for r in runs] == [again["id"], run["id"]]  # newest first
            assert runs[1]["created"] == 20 and runs[0]["created"] == 0
            await hub.query(TRIGGER, {"code": "64.09"}, token=admin)
            assert [r["regionCode"] for r in nodes((await hub.query(RUNS, token=admin))["syncRuns"])] == ["64.09", "19.71", "19.71"]
            assert nodes((await hub.query(RUNS, {"code": "61.71"}, token=admin))["syncRuns"]) == []


async def test_region_admins_trigger_and_see_only_their_own_regions(database_url, tmp_path, monkeypatch):
    with regions(monkeypatch, complaints=12) as (found, _):
        async with unscheduled_hub(database_url, region_file(tmp_path, found)) as hub:
            national = hub.token(Role.NATIONAL_ADMIN)
            babel = hub.token(Role.REGION_ADMIN, region_codes=["19.71"])
            pontianak = hub.token(Role.REGION_ADMIN, region_codes=["61.71"])

            run = (await hub.query(TRIGGER, {"code": "19.71"}, token=babel))["triggerSync"]["run"]
            assert run["status"] == "SUCCEEDED" and run["created"] == 12

            refused = (await hub.query(TRIGGER, {"code": "19.71"}, token=pontianak))["triggerSync"]
            assert refused["__typename"] == "NotAllowedError" and refused["code"] == "FORBIDDEN"
            assert "only a national admin or an admin of region 19.71" in refused["message"]
            refused = (await hub.query(TRIGGER, {"code": "61.71"}, token=babel))["triggerSync"]
            assert refused["code"] == "FORBIDDEN"
            refused = (await hub.query(TRIGGER, {"code": "19.71"}))["triggerSync"]
            assert refused["code"] == "FORBIDDEN"
            runs = nodes((await hub.query(RUNS, token=national))["syncRuns"])
            assert [(r["regionCode"], r["id"]) for r in runs] == [("19.71", run["id"])]  # refused triggers ran nothing

            mine = (await hub.query(CONNECTORS, token=babel))["connectors"]
            assert [(c["regionCode"], c["health"]) for c in mine] == [("19.71", "HEALTHY")]
            theirs = (await hub.query(CONNECTORS, token=pontianak))["connectors"]
            assert [(c["regionCode"], c["health"]) for c in theirs] == [("61.71", "UNKNOWN")]
            province = hub.token(Role.REGION_ADMIN, region_codes=["61"])  # Kalimantan Barat covers Pontianak
            assert [c["regionCode"] for c in (await hub.query(CONNECTORS, token=province))["connectors"]] == ["61.71"]

            assert [r["regionCode"] for r in nodes((await hub.query(RUNS, token=babel))["syncRuns"])] == ["19.71"]
            assert nodes((await hub.query(RUNS, token=pontianak))["syncRuns"]) == []
            errors = await hub.errors(RUNS, {"code": "19.71"}, token=pontianak)
            assert errors[0]["extensions"]["code"] == "FORBIDDEN" and "region 19.71" in errors[0]["message"]

            for query in (CONNECTORS, RUNS, REJECTED):
                errors = await hub.errors(query)
                assert errors[0]["extensions"]["code"] == "FORBIDDEN"
                assert "only national and region admins" in errors[0]["message"]
                errors = await hub.errors(query, token=hub.token(Role.AGENCY_OFFICER, agency_id=1))
                assert errors[0]["extensions"]["code"] == "FORBIDDEN"


async def test_unknown_or_unconnected_regions_are_refused_clearly(database_url, tmp_path, monkeypatch):
    with regions(monkeypatch, complaints=5, kinds=("rest",)) as (found, _):
        path = write_region_file(tmp_path / "regions.yaml", [rest_entry("19.71", found["rest"].base_url, api_key_env=API_KEY_ENV)])
        async with unscheduled_hub(database_url, path) as hub:
            admin = hub.token(Role.NATIONAL_ADMIN)
            for code in ("61.71", "99.99"):
                refused = (await hub.query(TRIGGER, {"code": code}, token=admin))["triggerSync"]
                assert refused["__typename"] == "ValidationError" and refused["code"] == "BAD_USER_INPUT"
                assert refused["field"] == "regionCode"
                assert f"region {code} is not connected to this hub" in refused["message"]
            assert nodes((await hub.query(RUNS, token=admin))["syncRuns"]) == []


async def test_malformed_records_are_counted_and_listed_with_reason_and_raw_payload(database_url, tmp_path, monkeypatch):
    with regions(monkeypatch, complaints=20) as (found, _):
        found["rest"].faults(malformed_rate=0.3)
        async with unscheduled_hub(database_url, region_file(tmp_path, found)) as hub:
            national = hub.token(Role.NATIONAL_ADMIN)
            run = (await hub.query(TRIGGER, {"code": "19.71"}, token=national))["triggerSync"]["run"]
            await hub.query(TRIGGER, {"code": "61.71"}, token=national)
            assert run["status"] == "SUCCEEDED" and run["rejected"] > 0
            assert run["created"] + run["rejected"] == 20 and run["seen"] >= 20

            connectors = {c["regionCode"]: c for c in (await hub.query(CONNECTORS, token=national))["connectors"]}
            assert connectors["19.71"]["rejectedCount"] == run["rejected"]
            assert connectors["61.71"]["rejectedCount"] == 0

            rejected = nodes((await hub.query(REJECTED, token=national))["rejectedRecords"])
            assert len(rejected) == run["rejected"]
            for row in rejected:
                assert row["regionCode"] == "19.71" and row["sourceSystem"] == "rest:19.71"
                assert row["sourceId"] is None or row["sourceId"] in json.dumps(row["raw"], ensure_ascii=False)
                assert any(word in row["reason"] for word in ("field", "UTF-8")), row["reason"]
                assert row["raw"] and row["count"] >= 1

            babel = hub.token(Role.REGION_ADMIN, region_codes=["19.71"])
            pontianak = hub.token(Role.REGION_ADMIN, region_codes=["61.71"])
            assert len(nodes((await hub.query(REJECTED, token=babel))["rejectedRecords"])) == run["rejected"]
            assert len(nodes((await hub.query(REJECTED, {"code": "19.71"}, token=babel))["rejectedRecords"])) == run["rejected"]
            assert nodes((await hub.query(REJECTED, token=pontianak))["rejectedRecords"]) == []
            errors = await hub.errors(REJECTED, {"code": "19.71"}, token=pontianak)
            assert errors[0]["extensions"]["code"] == "FORBIDDEN"
