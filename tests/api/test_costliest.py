"""The costliest queries the schema allows are refused, or run within their budget."""

from __future__ import annotations

from graphql import parse

from hub.domain.vocabulary import Role
from hub.schema.build import build_schema
from hub.schema.cost import CostModel
from hub.schema.costliest import costliest_queries
from tests.hubclient import hub_client

ALLOWED_ERRORS = {"FORBIDDEN", "UNAUTHENTICATED", "NOT_FOUND"}  # admin-only fields asked by the public


async def test_every_generated_costliest_query_is_refused_or_within_budget(database_url):
    # some hundred expensive queries from one client: the per-client rate limit (tested on its own) is off here
    async with hub_client(database_url, schedule=False, rate_limits=False) as hub:
        settings = hub.settings
        graphql_schema = build_schema(settings)._schema
        model = CostModel(graphql_schema, max_page_size=settings.max_page_size, max_months=settings.stats_max_months)
        for role, budget in ((None, settings.query_budget_public), (Role.NATIONAL_ADMIN, settings.query_budget_national)):
            token = hub.token(role) if role else None
            probes = costliest_queries(graphql_schema, max_depth=settings.max_query_depth,
                                       max_aliases=settings.max_aliases, max_page_size=settings.max_page_size,
                                       budget=budget)
            assert len(probes) >= 3 * 15
            refused = ran = 0
            for probe in probes:
                cost = model.cost(parse(probe.query)).total
                response = await hub.post(probe.query, token=token)
                assert response.status_code == 200, (probe.name, response.text[:300])
                body = response.json()
                codes = {e.get("extensions", {}).get("code") for e in body.get("errors") or []}
                if cost > budget:
                    assert body.get("data") is None, probe.name
                    messages = " ".join(e["message"] for e in body["errors"])
                    assert codes == {"QUERY_TOO_COSTLY"} or "exceeds maximum operation depth" in messages, \
                        (probe.name, messages[:300])
                    refused += 1
                else:
                    assert "QUERY_TOO_COSTLY" not in codes and "QUERY_TIMEOUT" not in codes, probe.name
                    assert codes <= ALLOWED_ERRORS | {"BAD_USER_INPUT"}, (probe.name, body["errors"][:2])
                    if not codes:
                        assert body["data"], probe.name
                    ran += 1
            assert refused and ran, (role, refused, ran)
