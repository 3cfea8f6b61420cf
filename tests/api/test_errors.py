"""Mistakes in a request come back as clear GraphQL errors, never as HTTP 500."""

from __future__ import annotations

import base64
import json

from sqlalchemy import text

from hub.domain.vocabulary import Role
from tests.api.builders import COMPLAINTS_QUERY, add_complaint
from tests.hubclient import hub_client


def gid(type_name: str, key: object) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


def cursor_of(order: str, key: list) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": order, "k": key}).encode()).decode().rstrip("=")


async def message(hub, query: str, variables: dict | None = None, token: str | None = None) -> str:
    errors = await hub.errors(query, variables, token=token)
    return " ".join(e["message"] for e in errors)


async def test_bad_arguments_read_clearly(engine, database_url):
    for i in range(3):
        await add_complaint(engine, title=f"Laporan {i}")
    async with hub_client(database_url) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)
        for first in (101, 0, -1):
            errors = await hub.errors(COMPLAINTS_QUERY, {"first": first}, token=national)
            assert "`first` must be between 1 and 100" in errors[0]["message"]
            assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
        assert "not a cursor this API handed out" in await message(hub, COMPLAINTS_QUERY, {"after": "bm9wZQ"})
        assert "not a cursor" in await message(hub, COMPLAINTS_QUERY, {"after": "%%%"})
        for key in (["2025-03-03T08:00:00", 1], ["2025-03-03T08:00:00+00:00"], ["2025-03-03T08:00:00+00:00", "1"],
                    ["2025-03-03T08:00:00+00:00", 10**20], ["0001-01-01T00:00:00+01:00", 1]):
            forged = cursor_of("CREATED_AT_DESC", key)
            assert "not a cursor this API handed out" in await message(hub, COMPLAINTS_QUERY, {"after": forged}), key
        page = await hub.query(COMPLAINTS_QUERY, {"first": 1})
        cursor = page["complaints"]["pageInfo"]["endCursor"]
        said = await message(hub, COMPLAINTS_QUERY, {"after": cursor, "orderBy": "CREATED_AT_ASC"})
        assert "made for ordering CREATED_AT_DESC, not CREATED_AT_ASC" in said

        filters = [
            ({"regionCodes": ["61.71", "99.99"]}, "unknown region code(s) 99.99 in `filter.regionCodes`"),
            ({"provinceCode": "61.71"}, "61.71 is a regency or city; give a province code"),
            ({"provinceCode": "99"}, "unknown region code(s) 99 in `filter.provinceCode`"),
            ({"categoryCodes": ["NOPE"]}, "unknown category code(s) NOPE"),
            ({"createdFrom": "2025-03-02T00:00:00Z", "createdTo": "2025-03-01T00:00:00Z"},
             "`filter.createdFrom` is after `filter.createdTo`"),
            ({"text": "x" * 201}, "`filter.text` is longer than 200 characters"),
            ({"createdFrom": "0001-01-01T00:00:00+01:00"}, "`filter.createdFrom` 0001-01-01T00:00:00+01:00 is out of range"),
        ]
        for given, expected in filters:
            assert expected in await message(hub, COMPLAINTS_QUERY, {"filter": given}, token=national), given

        assert "unknown region code(s) 99.99 in `regionCode`" in await message(hub, '{ agencies(regionCode: "99.99") { name } }')
        assert "unknown region code(s) 99 in `parentCode`" in await message(hub, '{ regions(parentCode: "99") { name } }')
        assert "unknown region code(s) 99.99 in `code`" in await message(hub, '{ region(code: "99.99") { name } }')
        assert "is not a tracking id of the form LPR-2025-0000123" in await message(
            hub, '{ complaint(trackingId: "LPR-25-12") { title } }')
        assert "Category, which is not a node type here" in await message(
            hub, "query($id: ID!) { node(id: $id) { id } }", {"id": gid("Category", "ROADS")})
        for key in ("abc", 10**20):
            assert "node id does not name a Complaint" in await message(
                hub, "query($id: ID!) { node(id: $id) { id } }", {"id": gid("Complaint", key)})
        assert "`last` must be between 1 and 500, got 0" in await message(hub, "{ complaints { edges { node { timeline(last: 0) { kind } } } } }")


async def test_query_limits(database_url):
    async with hub_client(database_url) as hub:
        limits = hub.settings
        deep = "{ regions(level: PROVINCE) { " + "children { parent { " * 6 + "name" + " } }" * 6 + " } }"
        assert "exceeds maximum operation depth of 12" in await message(hub, deep)
        aliases = "{ " + " ".join(f"c{i}: categories {{ code }}" for i in range(limits.max_aliases + 1)) + " }"
        assert f"{limits.max_aliases + 1} aliases found. Allowed: {limits.max_aliases}" in await message(hub, aliases)
        tokens = "{ categories { " + "code " * limits.max_tokens + "} }"
        assert f"Document contains more than {limits.max_tokens} tokens" in await message(hub, tokens)
        fine = "{ " + " ".join(f"c{i}: categories {{ code }}" for i in range(limits.max_aliases)) + " }"
        assert len(await hub.query(fine)) == limits.max_aliases


async def test_production_masks_internal_errors_only(engine, database_url):
    await add_complaint(engine)
    async with hub_client(database_url, env="production", jwt_secret="a-production-secret-of-at-least-32-bytes") as hub:
        async with engine.begin() as connection:
            await connection.execute(text("ALTER TABLE categories RENAME TO categories_away"))
        try:
            response = await hub.post("{ categories { code } }")
        finally:
            async with engine.begin() as connection:
                await connection.execute(text("ALTER TABLE categories_away RENAME TO categories"))
        assert response.status_code == 200
        errors = response.json()["errors"]
        assert [e["message"] for e in errors] == ["Internal error; it has been logged"]
        assert "no such table" not in response.text and "does not exist" not in response.text
        assert "`first` must be between 1 and 100" in await message(hub, COMPLAINTS_QUERY, {"first": 500})
        assert "unknown region code(s) 99.99" in await message(hub, '{ agencies(regionCode: "99.99") { name } }')
        page = await hub.http.get("/graphql", headers={"Accept": "text/html"})
        assert "graphiql" not in page.text.lower() and page.status_code != 200
    async with hub_client(database_url) as hub:
        page = await hub.http.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "graphiql" in page.text.lower()
