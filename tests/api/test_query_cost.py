"""A query's cost is bounded by the caller's budget, and its run by a time limit."""

from __future__ import annotations

import asyncio
import csv
from collections import Counter
from pathlib import Path

from hub.domain.vocabulary import Role
from hub.schema import cost
from tests.hubclient import hub_client

NESTED = 'query { region(code: "32") { children { parent { children { parent { children { name } } } } } } }'
README_LIST = """{ complaints(first: 20, filter: {provinceCode: "61"}) { totalCount pageInfo { hasNextPage endCursor }
  edges { node { trackingId title status region { code name } agency { name } category { name } verifyDue
    slaBreached timeline(last: 3) { kind toStatus actor sourceSystem occurredAt } } } } }"""
REGIONS_CSV = Path(__file__).resolve().parents[2] / "hub" / "domain" / "data" / "regions_id.csv"


async def test_the_nested_region_query_is_refused_before_it_runs_with_its_cost_and_the_budget(database_url):
    async with hub_client(database_url, schedule=False) as hub:
        before = hub.statements.count
        (error,) = await hub.errors(NESTED)
        assert hub.statements.count == before  # nothing ran
        assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
        spent, budget = error["extensions"]["cost"], error["extensions"]["budget"]
        assert spent > budget == hub.settings.query_budget_public
        assert f"costs {spent:,}" in error["message"] and f"budget of {budget:,}" in error["message"]
        assert "PUBLIC" in error["message"]
        # even a national admin may not run it
        (error,) = await hub.errors(NESTED, token=hub.token(Role.NATIONAL_ADMIN))
        assert error["extensions"]["budget"] == hub.settings.query_budget_national


async def test_everyday_queries_are_within_the_public_budget(database_url):
    async with hub_client(database_url, schedule=False) as hub:
        data = await hub.query(README_LIST)
        assert data["complaints"]["edges"] == []
        tree = await hub.query("{ regions(level: PROVINCE) { code name children { code name } } }")
        assert len(tree["regions"]) == 38
        one = await hub.query('{ region(code: "32") { name children { name parent { name } } } }')
        assert one["region"]["children"][0]["parent"]["name"] == one["region"]["name"]


async def test_budgets_grow_with_the_role(database_url):
    # every region with its children: more than the public may ask, within a staff budget
    query = "{ regions { code children { code name } } }"
    async with hub_client(database_url, schedule=False, query_budget_public=10_000, query_budget_staff=30_000) as hub:
        (error,) = await hub.errors(query)
        assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
        (error,) = await hub.errors(query, token=hub.token(Role.REPORTER, reporter_id=1))
        assert error["extensions"]["budget"] == 10_000
        data = await hub.query(query, token=hub.token(Role.REGION_ADMIN, region_codes=["61.71"]))
        assert len(data["regions"]) == 552


async def test_a_page_size_given_by_a_variable_counts_at_its_value(database_url):
    query = "query Page($n: Int!) { complaints(first: $n) { edges { node { timeline(last: 100) { kind } } } } }"
    async with hub_client(database_url, schedule=False) as hub:
        assert await hub.query(query, {"n": 5})
        (error,) = await hub.errors(query, {"n": 100})
        assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"


async def test_aliases_multiply_the_cost_of_statistics(database_url):
    one = "s{n}: stats(groupBy: REGION) {{ groups {{ key total }} }}"
    async with hub_client(database_url, schedule=False) as hub:
        assert await hub.query("{ " + one.format(n=1) + " }")
        (error,) = await hub.errors("{ " + " ".join(one.format(n=n) for n in range(30)) + " }")
        assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"


async def test_introspection_works_but_chains_through_types_are_refused(database_url):
    from graphql import get_introspection_query

    async with hub_client(database_url, schedule=False) as hub:
        data = await hub.query(get_introspection_query(descriptions=True))
        assert data["__schema"]["queryType"]["name"] == "Query"
        chain = "{ __schema { types { fields { type { fields { args { type { name } } } } } } } }"
        (error,) = await hub.errors(chain)
        assert error["extensions"]["code"] == "QUERY_TOO_COSTLY" and "introspection" in error["message"]


async def test_a_runaway_query_is_stopped_at_the_time_limit_and_the_server_keeps_answering(database_url):
    # With an unbounded budget the nested query runs for minutes; the time limit ends it.
    async with hub_client(database_url, schedule=False, query_budget_public=10**12,
                          execution_timeout_seconds=0.5) as hub:
        runaway = asyncio.create_task(hub.post(NESTED.replace("{ name }", "{ parent { children { name } } }")))
        await asyncio.sleep(0.1)
        health = await hub.http.get("/healthz")  # sent while the query runs
        assert health.status_code == 200
        response = await runaway
        assert response.status_code == 200
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "QUERY_TIMEOUT"
        assert "limit of 0.5 s" in error["message"]
        assert await hub.query('{ region(code: "32") { name } }')  # the next request is served as usual


def test_declared_bounds_hold_for_the_reference_regions():
    rows = list(csv.DictReader(REGIONS_CSV.open(encoding="utf-8")))
    children = Counter(row["parent_code"] for row in rows if row["parent_code"])
    assert len(rows) <= cost.REGION_COUNT
    assert sum(1 for row in rows if not row["parent_code"]) <= cost.PROVINCE_COUNT
    assert max(children.values()) <= cost.MAX_CHILDREN


async def test_fragments_spread_many_times_are_measured_once_and_refused(database_url):
    # each fragment spreads the next twice: 2^40 copies of the last one, once expanded
    fragments = " ".join(f"fragment F{n} on Region {{ ...F{n + 1} ...F{n + 1} }}" for n in range(40))
    query = (f'{{ region(code: "32") {{ children {{ ...F0 }} }} }} {fragments} '
             "fragment F40 on Region { a: children { code } }")
    async with hub_client(database_url, schedule=False) as hub:
        errors = await hub.errors(query)
        assert "1,099,511,627,776 aliases found. Allowed: 30" in errors[0]["message"]
        deep = "{ region(code: \"32\") { " + "parent { " * 12 + "code" + " }" * 12 + " } }"
        (error,) = await hub.errors(deep)
        assert "exceeds maximum operation depth of 12" in error["message"]
        assert await hub.query("{ region(code: \"32\") { " + "parent { " * 10 + "code" + " }" * 10 + " } }")
