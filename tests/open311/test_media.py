"""Photos a region names (GeoReport ``media_url``, of a request and of its updates) are kept as links."""

from __future__ import annotations

from hub.domain.vocabulary import Role
from hub.simulators.region_file import write_region_file
from tests.open311.servers import open311_region
from tests.sync_api.test_sync_fields import TRIGGER, unscheduled_hub

ATTACHMENTS = """{ complaints(first: 100) { edges { node {
  sources { sourceId } attachments { url sourceSystem fileName } } } } }"""


async def test_media_urls_become_attachment_links_once(database_url, tmp_path, monkeypatch):
    with open311_region(monkeypatch, flavour="mysociety", complaints=40) as (region, config):
        truth = {r["service_request_id"]: r for r in region.ground_truth()}
        entry = {"code": config.code, "connector": "open311", "base_url": config.base_url, "credentials": config.credentials,
                 "options": config.options, "mapping": config.mapping.model_dump(mode="json", exclude_none=True)}
        async with unscheduled_hub(database_url, write_region_file(tmp_path / "regions.yaml", [entry])) as hub:
            admin = hub.token(Role.NATIONAL_ADMIN)
            for _ in range(2):  # a second read adds nothing twice
                run = (await hub.query(TRIGGER, {"code": "61.71"}, token=admin))["triggerSync"]["run"]
                assert run["status"] == "SUCCEEDED", run
            nodes = [e["node"] for e in (await hub.query(ATTACHMENTS, token=admin))["complaints"]["edges"]]
    linked = 0
    for node in nodes:
        request = truth[node["sources"][0]["sourceId"]]
        named = [request["media_url"]] if request.get("media_url") else []
        named += [u["media_url"] for u in request.get("updates", []) if u.get("media_url") and u["media_url"] not in named]
        assert sorted(a["url"] for a in node["attachments"]) == sorted(set(named)), request["service_request_id"]
        assert {a["sourceSystem"] for a in node["attachments"]} <= {"open311:61.71"}
        assert all(a["fileName"] for a in node["attachments"])
        linked += len(named)
    assert linked >= 4  # some requests come with a photo, some updates too
