"""Public mutations and expensive queries are rate-limited per client, with Retry-After;
counters in Redis are shared by every hub process."""

from __future__ import annotations

import socket
import uuid

import pytest

from hub.domain.vocabulary import Role
from hub.schema.build import build_schema
from hub.schema.rate_limits import GROUPS
from hub.settings import ConfigError, Settings, load_settings
from tests.hubclient import hub_client
from tests.mutations.helpers import SUBMIT, complaint_input

STATS = "{ stats(groupBy: STATUS) { computedAt } }"


async def submitted(hub, token: str | None = None):
    return await hub.post(SUBMIT, {"input": complaint_input()}, token=token)


async def test_submitting_past_the_rate_gets_429_with_retry_after_per_client(database_url):
    async with hub_client(database_url, schedule=False, rate_limit_submit="2/minute") as hub:
        for _ in range(2):
            fine = await submitted(hub)
            assert fine.status_code == 200 and fine.json()["data"]["r"]["__typename"] == "ComplaintPayload"
        refused = await submitted(hub)
        assert refused.status_code == 429
        wait = int(refused.headers["Retry-After"])
        assert 1 <= wait <= 60
        error = refused.json()["errors"][0]
        assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": wait}
        assert "at most 2 per 1 minute" in error["message"] and f"try again in {wait} s" in error["message"]
        assert refused.json()["data"] is None

        # another person (a token naming them) has their own allowance; reads are not charged
        someone = hub.token(Role.REPORTER, reporter_id=7, subject="pelapor-7")
        assert (await submitted(hub, someone)).status_code == 200
        assert (await hub.post("{ categories { code } }")).status_code == 200

        # aliases count: three submissions in one operation need three of the allowance
        other = hub.token(Role.REPORTER, reporter_id=8, subject="pelapor-8")
        thrice = ("mutation($input: SubmitComplaintInput!) { a: submitComplaint(input: $input) { __typename } "
                  "b: submitComplaint(input: $input) { __typename } c: submitComplaint(input: $input) { __typename } }")
        assert (await hub.post(thrice, {"input": complaint_input()}, token=other)).status_code == 429


async def test_expensive_queries_are_limited(database_url):
    async with hub_client(database_url, schedule=False, rate_limit_expensive="3/minute") as hub:
        national = hub.token(Role.NATIONAL_ADMIN, subject="analis-1")
        aliased = "{ a: stats(groupBy: STATUS) { computedAt } b: stats(groupBy: CHANNEL) { computedAt } }"
        for document in (aliased, STATS):
            answered = await hub.post(document, token=national)
            assert answered.status_code == 200 and not answered.json().get("errors"), answered.text
        refused = await hub.post(STATS, token=national)
        assert refused.status_code == 429 and refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        fine = await hub.post("{ complaints(first: 1) { totalCount } }", token=national)
        assert fine.status_code == 200


def redis_running() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_running(), reason="needs Redis on 127.0.0.1:6379")
async def test_processes_sharing_redis_share_the_counters(database_url):
    shared = {"rate_limit_submit": "3/minute", "rate_limit_storage": "redis://127.0.0.1:6379/0",
              "rate_limit_prefix": f"test-{uuid.uuid4().hex}"}
    async with hub_client(database_url, schedule=False, **shared) as first, \
            hub_client(database_url, schedule=False, **shared) as second:
        assert (await submitted(first)).status_code == 200
        assert (await submitted(second)).status_code == 200
        assert (await submitted(first)).status_code == 200
        refused = await submitted(second)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


async def test_unreachable_counters_let_requests_through(database_url):
    async with hub_client(database_url, schedule=False, rate_limit_submit="1/minute",
                          rate_limit_storage="redis://127.0.0.1:1/0") as hub:
        assert (await submitted(hub)).status_code == 200
        assert (await submitted(hub)).status_code == 200


def test_every_grouped_field_is_in_the_schema_and_rates_are_checked():
    schema = build_schema(Settings())
    roots = {**schema._schema.query_type.fields, **schema._schema.mutation_type.fields}
    assert set(GROUPS) <= set(roots)
    with pytest.raises(ConfigError, match="HUB_RATE_LIMIT_SUBMIT"):
        load_settings(rate_limit_submit="ten a minute")
