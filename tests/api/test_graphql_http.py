"""GraphQL over HTTP as a spec-following client speaks it (application/graphql-response+json)."""

from __future__ import annotations

import pytest

from hub.graphql_http import wants_graphql_response
from tests.hubclient import hub_client

NEW = {"Accept": "application/graphql-response+json, application/json;q=0.9"}


@pytest.mark.parametrize(
    ("accept", "wanted"),
    [
        (None, False),
        ("application/json", False),
        ("*/*", False),
        ("application/graphql-response+json", True),
        ("application/graphql-response+json, application/json;q=0.9", True),
        ("application/json, application/graphql-response+json;q=0.5", False),
        ("application/graphql-response+json;q=0", False),
    ],
)
def test_accept_decides_the_media_type(accept, wanted):
    assert wants_graphql_response(accept) is wanted


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("{ regions(level: PROVINCE) { code ", None),  # does not parse
        ("{ regions(level: PROVINCE) { noSuchField } }", None),  # does not validate
        ("query($level: RegionLevel!) { regions(level: $level) { code } }", {"level": "GALAXY"}),  # variables
    ],
)
async def test_a_request_that_cannot_run_is_a_400_without_data(database_url, query, variables):
    async with hub_client(database_url) as hub:
        new = await hub.http.post("/graphql", json={"query": query, "variables": variables}, headers=NEW)
        old = await hub.http.post("/graphql", json={"query": query, "variables": variables})
    assert new.status_code == 400
    assert new.headers["content-type"].startswith("application/graphql-response+json")
    assert "data" not in new.json() and new.json()["errors"][0]["message"]
    assert old.status_code == 200 and old.headers["content-type"].startswith("application/json")


async def test_an_executed_request_is_a_200_even_with_field_errors(database_url):
    async with hub_client(database_url) as hub:
        fine = await hub.http.post("/graphql", json={"query": "{ regions(level: PROVINCE) { code } }"}, headers=NEW)
        refused = await hub.http.post("/graphql", json={"query": "{ connectorsOverview { healthy } }"}, headers=NEW)
    assert fine.status_code == 200 and len(fine.json()["data"]["regions"]) == 38
    assert fine.headers["content-type"].startswith("application/graphql-response+json")
    assert refused.status_code == 200
    assert refused.json()["data"] is None and refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
