"""Planned reads answer exactly what field-by-field execution answers.

Each query runs on two hubs over the same store, one building list pages,
``complaint`` and ``node`` from plans of their selection, one executing every
field; the response bodies must be byte for byte the same, for every role.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from hub.domain.vocabulary import EventKind, Privacy, Role
from hub.schema.types.connection import ComplaintConnection
from hub.store import complaint_reads, page_json
from tests.api.builders import T0, add_agency, add_complaint, add_events, hours
from tests.hubclient import hub_client

REGION = "__typename id code name level parentCode timeZone"
COMPLAINT = f"""
  __typename id trackingId title body type privacy channel status regionCode address latitude longitude
  createdAt updatedAt verifiedAt dispositionedAt firstFollowUpAt resolvedAt closedAt
  verifyDue followUpDue resolveDue answerDue rating ratingComment escalationLevel
  verifyBreached followUpBreached resolveBreached slaBreached reporterHidden
  reporter {{ __typename name phone email }}
  region {{ {REGION} parent {{ {REGION} }} }}
  agency {{ __typename id name shortName regionCode }}
  category {{ __typename code name resolveDays }}
  sources {{ __typename sourceSystem sourceId sourceUpdatedAt firstSeenAt lastSeenAt details {{ __typename name value }} }}
  timeline {{ __typename kind fromStatus toStatus text actor actorRole sourceSystem occurredAt recordedAt details {{ name value }} }}
  latest: timeline(last: $last) {{ kind actor occurredAt }}
"""
LIST = f"""
query List($first: Int!, $after: String, $last: Int, $f: ComplaintFilter) {{
  complaints(first: $first, after: $after, filter: $f) {{
    __typename totalCount
    pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor __typename }}
    edges {{ cursor __typename node {{ ...Row ... on Complaint {{ t2: title status }} }} }}
    more: edges {{ node {{ id }} }}
  }}
}}
fragment Row on Complaint {{ {COMPLAINT} }}
"""
ONE = f"""
query One($t: String!, $id: ID!, $last: Int) {{
  complaint(trackingId: $t) {{ ...Row }}
  node(id: $id) {{ id __typename ... on Region {{ code }} ... on Complaint {{ ...Row }} }}
}}
fragment Row on Complaint {{ {COMPLAINT} }}
"""
# Every field PostgreSQL writes itself (hub.resolvers.json_plan), through fragments and aliases
WRITTEN_ROW = """
  __typename id trackingId title body type privacy channel status regionCode address
  createdAt updatedAt verifiedAt dispositionedAt firstFollowUpAt resolvedAt closedAt
  verifyDue followUpDue resolveDue answerDue rating ratingComment escalationLevel reporterHidden
  region { __typename id code name level parentCode parent { __typename id code name level parentCode } }
  agency { __typename id name shortName regionCode ... on Node { nodeId: id } }
  category { __typename code name resolveDays }
  sources { __typename sourceSystem sourceId sourceUpdatedAt firstSeenAt lastSeenAt }
  timeline { __typename kind fromStatus toStatus actor actorRole sourceSystem occurredAt recordedAt }
  latest: timeline(last: $last) { kind actor occurredAt }
"""
WRITTEN = LIST.replace(COMPLAINT, WRITTEN_ROW)
BACKWARD = WRITTEN.replace("$first: Int!, $after: String,", "$n: Int!, $before: String,").replace(
    "first: $first, after: $after,", "last: $n, before: $before,")
FALLBACKS = [  # shapes planned reads leave to field-by-field execution
    "query($skip: Boolean!) { complaints(first: 10) { edges { node { trackingId title @skip(if: $skip) } } } }",
    "{ complaints(first: 10) { edges { node { trackingId region { children { code } } agency { region { name } } } } } }",
    "{ complaints(first: 10) { edges { node { region { parent { parent { code } } } } } } }",
]


async def build(engine) -> dict[str, int | str]:
    a = await add_agency(engine, "61.71", "Dinas PUPR Kota Pontianak")
    b = await add_agency(engine, "19.71", "Dinas PUPR Kota Pangkalpinang")
    made = []
    for i, (region, privacy, agency) in enumerate([
        ("61.71", Privacy.PUBLIC, a), ("19.71", Privacy.PUBLIC, b), ("61.71", Privacy.CONFIDENTIAL, a),
        ("61.71", Privacy.ANONYMOUS, a), ("61", Privacy.ANONYMOUS, None), ("73.71", Privacy.PUBLIC, None),
    ]):
        at = T0 + hours(7 * i)
        title = f"Laporan {i}" if i != 5 else 'Laporan 5 "jalan\\rusak"\n\t\x01\x1f é ✓ \u2028 <b>&'
        c = await add_complaint(engine, title=title, region_code=region, reporter=f"Warga {i}", privacy=privacy,
                                agency_id=agency, created_at=at, category_code="ROADS" if i % 2 else None,
                                extra_sources=((f"regional-{i}", f"R-{i}"),) if i % 3 else (),
                                latitude=-0.02 * i if i % 2 else None, rating=i % 5 + 1 if i > 3 else None)
        await add_events(engine, c.id, *[(EventKind.COMMENT, at + hours(n + 1) + timedelta(microseconds=n * 120_000 + i),
                                          f"petugas {n}") for n in range(i % 4)])
        made.append(c)
    return {"tracking": made[3].tracking_id, "id": made[3].id, "reporter": made[3].reporter_id, "agency": a}


def tokens(hub, world) -> list[str | None]:
    return [
        None,
        hub.token(Role.NATIONAL_ADMIN),
        hub.token(Role.REGION_ADMIN, region_codes=["61.71"]),
        hub.token(Role.REGION_ADMIN, region_codes=["61"]),
        hub.token(Role.AGENCY_OFFICER, agency_id=world["agency"]),
        hub.token(Role.REPORTER, reporter_id=world["reporter"]),
    ]


async def both(database_url, query, variables, token_of):
    bodies = []
    for planned in (True, False):
        async with hub_client(database_url, schedule=False, planned_reads=planned) as hub:
            bodies.append([(r.status_code, r.content) for r in [
                await hub.post(query, variables, token=token_of(hub, i)) for i in range(6)]])
    return bodies


async def test_list_complaint_and_node_answer_the_same_planned_or_not(engine, database_url):
    world = await build(engine)
    from strawberry.relay.utils import to_base64

    def token_of(hub, i):
        return tokens(hub, world)[i]

    for variables in ({"first": 3, "last": 2}, {"first": 50, "last": None}, {"first": 2, "last": 500},
                      {"first": 10, "last": 1, "f": {"provinceCode": "61"}},
                      {"first": 3, "last": 1, "f": {"text": "jalan laporan"}}, {"first": 4, "last": 1, "f": {"text": "pasar"}}):
        planned, executed = await both(database_url, LIST, variables, token_of)
        assert planned == executed
        assert all(status == 200 and b'"errors"' not in body for status, body in planned)
    one = {"t": world["tracking"], "id": to_base64("Complaint", world["id"]), "last": 2}
    planned, executed = await both(database_url, ONE, one, token_of)
    assert planned == executed
    assert b"Pelapor (dirahasiakan)" in planned[2][1] and b"Warga 3" in planned[1][1]


async def test_a_next_page_answers_the_same_planned_or_not(engine, database_url):
    world = await build(engine)
    async with hub_client(database_url, schedule=False) as hub:
        first = await hub.query(LIST, {"first": 2}, token=hub.token(Role.NATIONAL_ADMIN))
    after = first["complaints"]["pageInfo"]["endCursor"]
    planned, executed = await both(database_url, LIST, {"first": 2, "after": after, "last": 3},
                                   lambda hub, i: tokens(hub, world)[i])
    assert planned == executed and b'"hasPreviousPage":true' in planned[1][1]


async def test_a_next_page_ranked_by_relevance_answers_the_same_planned_or_not(engine, database_url):
    world = await build(engine)
    search = {"text": "pasar laporan"}
    async with hub_client(database_url, schedule=False) as hub:
        first = await hub.query(LIST, {"first": 2, "f": search}, token=hub.token(Role.NATIONAL_ADMIN))
    after = first["complaints"]["pageInfo"]["endCursor"]
    planned, executed = await both(database_url, LIST, {"first": 2, "after": after, "last": 3, "f": search},
                                   lambda hub, i: tokens(hub, world)[i])
    assert planned == executed and b'"hasPreviousPage":true' in planned[1][1] and b'"errors"' not in planned[1][1]


async def test_the_list_page_is_built_from_its_plan(engine, database_url, monkeypatch):
    await build(engine)

    def refuse(*args, **kwargs):
        raise AssertionError("executed field by field")

    monkeypatch.setattr(ComplaintConnection, "of", refuse)
    async with hub_client(database_url, schedule=False) as hub:
        data = await hub.query(LIST, {"first": 50, "last": 2}, token=hub.token(Role.NATIONAL_ADMIN))
    assert data["complaints"]["totalCount"] == 6 and len(data["complaints"]["edges"]) == 6


@pytest.mark.parametrize("query", FALLBACKS)
async def test_shapes_without_a_plan_answer_the_same(engine, database_url, query):
    world = await build(engine)
    planned, executed = await both(database_url, query, {"skip": True}, lambda hub, i: tokens(hub, world)[i])
    assert planned == executed and all(status == 200 and b'"errors"' not in body for status, body in planned)


async def test_refused_arguments_answer_the_same_error(engine, database_url):
    world = await build(engine)
    query = "query($last: Int) { complaints(first: 5) { edges { node { trackingId timeline(last: $last) { kind } } } } }"
    planned, executed = await both(database_url, query, {"last": 0}, lambda hub, i: tokens(hub, world)[i])
    assert planned == executed and b"`last` must be between 1 and 500" in planned[1][1]


async def test_pages_postgresql_writes_answer_the_same_as_field_by_field(engine, database_url, monkeypatch):
    world = await build(engine)
    for variables in ({"first": 3, "last": 2}, {"first": 50, "last": None}, {"first": 2, "last": 500},
                      {"first": 10, "last": 1, "f": {"provinceCode": "61"}}):
        planned, executed = await both(database_url, WRITTEN, variables, lambda hub, i: tokens(hub, world)[i])
        assert planned == executed
        assert all(status == 200 and b'"errors"' not in body for status, body in planned)
    assert b"Pelapor (dirahasiakan)" in planned[2][1] and b"Warga 3" in planned[1][1]
    if database_url.startswith("postgresql"):  # and it was PostgreSQL that wrote them
        def refuse(*args, **kwargs):
            raise AssertionError("read as rows")

        monkeypatch.setattr(ComplaintConnection, "of", refuse)
        monkeypatch.setattr(complaint_reads, "read_page", refuse)
        async with hub_client(database_url, schedule=False) as hub:
            data = await hub.query(WRITTEN, {"first": 50, "last": 2}, token=hub.token(Role.NATIONAL_ADMIN))
        assert data["complaints"]["totalCount"] == 6 and len(data["complaints"]["edges"]) == 6


async def test_a_backward_page_answers_the_same_written_planned_or_not(engine, database_url, monkeypatch):
    """PostgreSQL writes no page asked for with `last`/`before`: the rows answer it, as execution does."""
    world = await build(engine)
    async with hub_client(database_url, schedule=False) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)
        newest = await hub.query(LIST, {"first": 4}, token=national)
        ranked = await hub.query(LIST, {"first": 2, "f": {"text": "pasar laporan"}}, token=national)
    back = {"n": 2, "before": newest["complaints"]["pageInfo"]["endCursor"], "last": 2}
    for variables in (back, {"n": 3, "before": None, "last": None},
                      {"n": 1, "before": ranked["complaints"]["pageInfo"]["endCursor"], "last": 1,
                       "f": {"text": "pasar laporan"}}):
        planned, executed = await both(database_url, BACKWARD, variables, lambda hub, i: tokens(hub, world)[i])
        assert planned == executed
        assert all(status == 200 and b'"errors"' not in body for status, body in planned)
        assert (b'"hasNextPage":true' in planned[1][1]) is (variables["before"] is not None)
        if variables is back:  # two of the newest four: the newest lies before them
            assert b'"hasPreviousPage":true' in planned[1][1]
    if database_url.startswith("postgresql"):
        def refuse(*args, **kwargs):
            raise AssertionError("written by PostgreSQL")

        monkeypatch.setattr(page_json, "read_page", refuse)
        async with hub_client(database_url, schedule=False) as hub:
            data = await hub.query(BACKWARD, {"n": 50, "last": 2}, token=hub.token(Role.NATIONAL_ADMIN))
        assert len(data["complaints"]["edges"]) == 6 and not data["complaints"]["pageInfo"]["hasPreviousPage"]
