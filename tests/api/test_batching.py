"""A page of complaints with its relations costs a few statements, whatever its size."""

from __future__ import annotations

from hub.domain.vocabulary import EventKind, Role
from tests.api.builders import T0, add_agency, add_complaint, add_events, hours
from tests.hubclient import hub_client

PAGE = """
query($first: Int!) { complaints(first: $first, orderBy: CREATED_AT_ASC) { edges { node {
  trackingId region { name parent { name } } agency { name } category { name }
  sources { sourceSystem sourceId } timeline(last: 3) { kind actor } reporter { name }
} } } }
"""
REGIONS = ["61.71", "61.72", "19.71", "31.71", "73.71"]
CATEGORIES = ["ROADS", "WATER", "HEALTH", "EDUCATION"]
LATER = [EventKind.STATUS_CHANGED, EventKind.DISPOSITION, EventKind.FOLLOW_UP, EventKind.COMMENT]


async def build(engine, count: int) -> None:
    agencies = [await add_agency(engine, code, f"Dinas PUPR {code}") for code in REGIONS]
    for i in range(count):
        at = T0 + hours(i)
        c = await add_complaint(engine, title=f"Laporan {i}", region_code=REGIONS[i % 5], reporter=f"Warga {i}",
                                category_code=CATEGORIES[i % 4], agency_id=agencies[i % 5], created_at=at,
                                extra_sources=((f"regional-{i % 5}", f"R-{i}"),))
        await add_events(engine, c.id, *[(kind, at + hours(n + 1) / 10, f"petugas {n}") for n, kind in enumerate(LATER)])


async def statements(hub, first: int) -> tuple[int, list[dict]]:
    token = hub.token(Role.NATIONAL_ADMIN)
    before = hub.statements.count
    data = await hub.query(PAGE, {"first": first}, token=token)
    return hub.statements.count - before, [edge["node"] for edge in data["complaints"]["edges"]]


async def test_page_of_5_and_of_50_cost_the_same(engine, database_url):
    await build(engine, 50)
    async with hub_client(database_url) as hub:
        small, five = await statements(hub, 5)
        large, fifty = await statements(hub, 50)
    assert len(five) == 5 and len(fifty) == 50
    assert small == large <= 12, (small, large)
    first = fifty[0]
    assert first["region"] == {"name": "Kota Pontianak", "parent": {"name": "Kalimantan Barat"}}
    assert first["agency"] == {"name": "Dinas PUPR 61.71"} and first["category"]["name"] == "Jalan dan Jembatan"
    assert first["reporter"] == {"name": "Warga 0"}
    assert {(s["sourceSystem"], s["sourceId"]) for s in first["sources"]} == {
        ("lapor-hub", first["trackingId"]), ("regional-0", "R-0")}
    # the latest three of five events, oldest first
    assert [e["kind"] for e in first["timeline"]] == ["DISPOSITION", "FOLLOW_UP", "COMMENT"]
    assert all([e["kind"] for e in node["timeline"]] == ["DISPOSITION", "FOLLOW_UP", "COMMENT"] for node in fifty)
    assert fifty[49]["region"]["parent"]["name"] == "Sulawesi Selatan"


OPTIONAL = [
    "title body status verifyDue slaBreached reporterHidden",
    "region { name }",
    "region { name parent { name } }",
    "agency { name shortName }",
    "category { name resolveDays }",
    "sources { sourceSystem sourceId }",
    "latest: timeline(last: 3) { kind actor }",
    "timeline { kind actor occurredAt }",
    "reporter { name }",
]
ALL = " ".join(OPTIONAL)
THROUGH_FRAGMENTS = """
query($first: Int!) { complaints(first: $first) { ...Page } }
fragment Page on ComplaintConnection { edges { node { ... on Complaint { ...Row } } } }
fragment Row on Complaint { trackingId %s }
""" % ALL


async def test_list_page_statements_are_fixed_whatever_the_fields_and_the_size(engine, database_url):
    await build(engine, 30)
    async with hub_client(database_url, schedule=False) as hub:
        token = hub.token(Role.NATIONAL_ADMIN)

        async def cost(query: str, first: int) -> int:
            before = hub.statements.count
            data = await hub.query(query, {"first": first}, token=token)
            assert len(data["complaints"]["edges"]) == first
            return hub.statements.count - before

        for fields in ["", *OPTIONAL, ALL]:
            query = "query($first: Int!) { complaints(first: $first) { edges { node { trackingId %s } } } }" % fields
            # one statement for the page with every relation; reporters' identities a second, only if asked
            # for, and a third writing, for the whole page at once, who read them (the access log)
            read = 2 if "reporter {" in fields else 1
            logged = "reporter {" in fields or "timeline {" in fields  # the reporter's name, or events naming them
            expected = read + (1 if logged else 0)
            assert [await cost(query, n) for n in (1, 5, 30)] == [expected] * 3, fields
        assert [await cost(THROUGH_FRAGMENTS, n) for n in (1, 30)] == [3, 3]
        with_count = "query($first: Int!) { complaints(first: $first) { totalCount pageInfo { hasNextPage } edges { node { %s } } } }" % ALL
        assert [await cost(with_count, n) for n in (1, 30)] == [4, 4]
