"""Every GeoReport field of a request is kept on the complaint's source copy
and readable in GraphQL; a request with empty ``updated_datetime`` and
``description`` lands, dated by its ``requested_datetime``."""

from __future__ import annotations

from datetime import datetime

from hub.connectors.open311 import KEPT_FIELDS
from hub.domain.vocabulary import Role
from hub.simulators.region_file import write_region_file
from tests.open311.servers import open311_region
from tests.sync_api.test_sync_fields import TRIGGER, unscheduled_hub

COMPLAINTS = """{ complaints(first: 100) { edges { node {
  title body address
  sources { sourceSystem sourceId sourceUpdatedAt details { name value } }
} } } }"""
ONE = """query One($t: String!) { complaint(trackingId: $t) { sources { sourceId details { name value } } } }"""


async def test_every_georeport_field_is_readable_and_sparse_requests_land(database_url, tmp_path, monkeypatch):
    with open311_region(monkeypatch, flavour="legacy", complaints=40, sparse_rate=0.4) as (region, config):
        truth = {r["service_request_id"]: r for r in region.ground_truth()}
        entry = {"code": config.code, "connector": "open311", "base_url": config.base_url, "credentials": config.credentials,
                 "options": config.options, "mapping": config.mapping.model_dump(mode="json", exclude_none=True)}
        async with unscheduled_hub(database_url, write_region_file(tmp_path / "regions.yaml", [entry])) as hub:
            admin = hub.token(Role.NATIONAL_ADMIN)
            run = (await hub.query(TRIGGER, {"code": "61.71"}, token=admin))["triggerSync"]["run"]
            assert run["status"] == "SUCCEEDED" and run["created"] == 40 and run["rejected"] == 0, run
            nodes = [e["node"] for e in (await hub.query(COMPLAINTS, token=admin))["complaints"]["edges"]]
            first = (await hub.query(COMPLAINTS.replace("first: 100", "first: 1").replace("title body", "trackingId"),
                                     token=admin))["complaints"]["edges"][0]["node"]
            one = (await hub.query(ONE, {"t": first["trackingId"]}, token=admin))["complaint"]

    assert one["sources"] == [{"sourceId": first["sources"][0]["sourceId"], "details": first["sources"][0]["details"]}]
    sparse = 0
    assert len(nodes) == 40
    for node in nodes:
        source = node["sources"][0]
        request = truth[source["sourceId"]]
        details = {d["name"]: d["value"] for d in source["details"]}
        served = {name: str(request[name]) for name in KEPT_FIELDS if request.get(name) not in (None, "")}
        assert details == served, source["sourceId"]
        assert node["address"] == request["address"]
        if request["description"] is None:  # served with description and updated_datetime empty
            sparse += 1
            assert node["title"] == request["service_name"] and node["body"] == "(tanpa uraian dari daerah)"
            assert datetime.fromisoformat(source["sourceUpdatedAt"]) == datetime.fromisoformat(request["requested_datetime"])
        else:
            assert {"agency_responsible", "service_notice", "zipcode", "address_id"} & set(details)
    assert 5 <= sparse < 40


UPDATES = """query One($t: String!) { complaint(trackingId: $t) { sources { sourceId }
  timeline { kind text sourceSystem details { name value } } } }"""
UPDATES_LIST = """{ complaints(first: 50) { edges { node { trackingId
  timeline { kind text sourceSystem details { name value } } } } } }"""


async def test_every_field_of_an_update_is_readable_on_its_event(database_url, tmp_path, monkeypatch):
    with open311_region(monkeypatch, flavour="mysociety", complaints=15) as (region, config):
        truth = {r["service_request_id"]: r for r in region.ground_truth()}
        entry = {"code": config.code, "connector": "open311", "base_url": config.base_url, "credentials": config.credentials,
                 "options": config.options, "mapping": config.mapping.model_dump(mode="json", exclude_none=True)}
        async with unscheduled_hub(database_url, write_region_file(tmp_path / "regions.yaml", [entry])) as hub:
            admin = hub.token(Role.NATIONAL_ADMIN)
            run = (await hub.query(TRIGGER, {"code": "61.71"}, token=admin))["triggerSync"]["run"]
            assert run["status"] == "SUCCEEDED", run
            listed = {e["node"]["trackingId"]: e["node"] for e in
                      (await hub.query(UPDATES_LIST, token=admin))["complaints"]["edges"]}
            ones = {t: (await hub.query(UPDATES, {"t": t}, token=admin))["complaint"] for t in listed}
    checked = 0
    for tracking, one in ones.items():
        assert one["timeline"] == listed[tracking]["timeline"]  # planned and field-by-field reads agree
        request = truth[one["sources"][0]["sourceId"]]
        regional = [e for e in one["timeline"] if e["sourceSystem"] == "open311:61.71" and e["kind"] == "FOLLOW_UP"]
        have = sorted((e["text"], sorted((d["name"], d["value"]) for d in e["details"])) for e in regional)
        want = sorted((u["description"], sorted((name, u[name]) for name in ("status", "external_status_code", "media_url")
                                                if u[name])) for u in request["updates"] if u["description"])
        assert have == want
        checked += len(have)
    assert checked > 5
