"""No input knocks the endpoint over: bounded bodies, one operation per body,
clean text of a bounded length, places inside Indonesia, keys the database can
hold. Every refusal is a 4xx or a GraphQL error with a message, never a 500,
and nothing refused reaches the database."""

from __future__ import annotations

import base64
import json

from sqlalchemy import func, select

from hub.domain.vocabulary import Role
from hub.store.database import session_factory
from hub.store.models import Complaint, Reporter
from tests.hubclient import hub_client
from tests.mutations.helpers import SUBMIT, complaint_input


def raw(value: object) -> bytes:
    """JSON as any client may send it, lone surrogates escaped as ``\\ud800``."""
    return json.dumps(value).encode()


async def post_raw(hub, body: bytes, content_type: str = "application/json"):
    return await hub.http.post("/graphql", content=body, headers={"content-type": content_type})


async def count(engine, model) -> int:
    async with session_factory(engine)() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_bodies_that_are_not_one_operation_get_400_with_what_is_wrong(database_url):
    async with hub_client(database_url, schedule=False) as hub:
        cases = [
            (b'"{ categories { code } }"', "must be a JSON object with a `query` string, not a string"),
            (b"42", "not a number"),
            (b"null", "not null"),
            (b"true", "not a boolean"),
            (b'[{"query": "{ categories { code } }"}]', "batches are not supported"),
            (b"\xff\xfe{}", "not valid UTF-8"),
            (b'{"query": "{ categories { code } }"', "request body is not JSON"),
            (b"{}", "request body has no `query`"),
            (b'{"variables": {}}', "request body has no `query`"),
            (b'{"query": ["{ categories { code } }"]}', "`query` must be a string, not a list"),
            (b'{"query": "{ categories { code } }", "variables": [1]}', "`variables` must be an object or null"),
            (b'{"query": "{ categories { code } }", "operationName": 7}', "`operationName` must be a string or null"),
            (raw({"query": "{ categories { code } }", "variables": {"x": "\ud800"}}),
             "`variables.x` holds a lone surrogate"),
            (raw({"query": "{ categories { code } }", "operationName": "\udfff"}),
             "`operationName` holds a lone surrogate"),
        ]
        for body, expected in cases:
            response = await post_raw(hub, body)
            assert response.status_code == 400, (body, response.text)
            errors = response.json()["errors"]
            assert expected in errors[0]["message"], (body, errors)
            assert errors[0]["extensions"]["code"] == "BAD_REQUEST"
        fine = await post_raw(hub, b'{"query": "{ categories { code } }", "variables": null}')
        assert fine.status_code == 200 and fine.json()["data"]["categories"]


async def test_a_body_over_the_limit_gets_413_without_being_read_in_full(database_url):
    async with hub_client(database_url, schedule=False, max_body_bytes=64 * 1024) as hub:
        ten_megabytes = b'{"query": "' + b" " * (10 * 1024 * 1024) + b'{ categories { code } }"}'
        declared = await post_raw(hub, ten_megabytes)
        assert declared.status_code == 413
        assert declared.json()["errors"][0]["message"] == (
            "request body is larger than 65536 bytes; send a smaller request")

        chunks_read = 0

        async def streamed():  # no Content-Length: refused once the limit is crossed
            nonlocal chunks_read
            for _ in range(160):
                chunks_read += 1
                yield b" " * 65536

        response = await hub.http.post("/graphql", content=streamed(), headers={"content-type": "application/json"})
        assert response.status_code == 413 and "larger than 65536 bytes" in response.text
        assert chunks_read < 5
        small = await hub.post("{ categories { code } }")
        assert small.status_code == 200


async def test_text_arguments_are_clean_and_bounded_before_the_database(engine, database_url):
    async with hub_client(database_url, schedule=False) as hub:
        cases = [
            (complaint_input(title="Lampu\x00mati"), "`$input.title` holds a NUL character"),
            (complaint_input(reporter={"name": "x" * 201, "phone": "0812"}),
             "`input.reporter.name` is longer than 200 characters"),
            (complaint_input(reporter={"name": "Siti", "phone": "0" * 41}),
             "`input.reporter.phone` is longer than 40 characters"),
            (complaint_input(reporter={"name": "Siti", "email": "a" * 300 + "@x.id"}),
             "`input.reporter.email` is longer than 200 characters"),
            (complaint_input(address="Jl. " * 101), "`input.address` is longer than 400 characters"),
            (complaint_input(body="x" * 5001), "is longer than 5000 characters"),
            (complaint_input(regionCode="19.71" * 3), "`input.regionCode` is longer than 8 characters"),
            (complaint_input(latitude=9999), "`input.latitude` must be inside Indonesia (latitude -11 to 6.5), got 9999"),
            (complaint_input(latitude=-2.1, longitude=12.0),
             "`input.longitude` must be inside Indonesia (longitude 94 to 141.5), got 12"),
        ]
        for given, expected in cases:
            response = await hub.post(SUBMIT, {"input": given})
            assert response.status_code == 200, response.text
            errors = response.json()["errors"]
            assert expected in errors[0]["message"], (given, errors)
            assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT" and errors[0]["extensions"]["field"]
        literal = ('mutation { submitComplaint(input: {title: "a\\u0000b", body: "x", regionCode: "19.71", '
                   'reporter: {name: "S", phone: "1"}}) { __typename } }')
        errors = await hub.errors(literal)
        assert errors[0]["message"] == "`input.title` holds a NUL character"
        in_a_literal = '{ complaint(trackingId: "LPR-2025-\\u00000000001") { title } }'
        assert (await hub.errors(in_a_literal))[0]["message"] == "`trackingId` holds a NUL character"
        assert await count(engine, Complaint) == 0 and await count(engine, Reporter) == 0

        placed = (await hub.query(SUBMIT, {"input": complaint_input(latitude=-2.13, longitude=106.11)}))["r"]
        assert placed["__typename"] == "ComplaintPayload"
        assert await count(engine, Complaint) == 1


async def test_ids_and_numbers_out_of_range_are_validation_errors(engine, database_url):
    async with hub_client(database_url, schedule=False) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)

        huge = base64.b64encode(b"Complaint:" + b"9" * 30).decode()
        for ref in (huge, base64.b64encode(b"Complaint:-1").decode(), base64.b64encode("Complaint:²".encode()).decode()):
            verified = await hub.query("mutation($id: ID!) { r: verifyComplaint(id: $id) { __typename "
                                       "... on ValidationError { message field } } }", {"id": ref}, token=national)
            assert verified["r"]["__typename"] == "ValidationError" and verified["r"]["field"] == "id", ref
        errors = await hub.errors("query($id: ID!) { node(id: $id) { id } }",
                                  {"id": base64.b64encode(b"Complaint:9223372036854775808").decode()})
        assert errors[0]["message"] == "node id does not name a Complaint"
        long_id = await hub.errors('{ complaint(trackingId: "' + "L" * 6000 + '") { id } }')
        assert long_id[0]["message"] == "`trackingId` is longer than 5000 characters"
        for limit in (-1, 0, 501):
            errors = await hub.errors("query($l: Int!) { outbox(first: $l) { edges { node { id } } } }", {"l": limit},
                                      token=national)
            assert errors[0]["message"] == f"`first` must be between 1 and 500, got {limit}"
        too_big = await hub.errors("query($l: Int!) { outbox(last: $l) { edges { node { id } } } }", {"l": 2**40},
                                   token=national)
        assert "Int cannot represent non 32-bit signed integer value" in too_big[0]["message"]
        for number in ("NaN", "Infinity", "1e999"):
            body = raw({"query": SUBMIT, "variables": {"input": complaint_input(latitude=0.5)}})
            not_finite = await post_raw(hub, body.replace(b"0.5", number.encode()))
            assert not_finite.status_code == 200, not_finite.text
            assert "Float cannot represent" in not_finite.json()["errors"][0]["message"]


async def test_database_errors_never_show_their_sql_even_in_dev(engine, database_url):
    from sqlalchemy import text

    async with hub_client(database_url, schedule=False) as hub:
        async with engine.begin() as connection:
            await connection.execute(text("ALTER TABLE categories RENAME TO categories_away"))
        try:
            response = await hub.post("{ categories { code } }")
        finally:
            async with engine.begin() as connection:
                await connection.execute(text("ALTER TABLE categories_away RENAME TO categories"))
        assert response.status_code == 200
        assert [e["message"] for e in response.json()["errors"]] == ["Internal error; it has been logged"]
        assert "SELECT" not in response.text and "categories_away" not in response.text
