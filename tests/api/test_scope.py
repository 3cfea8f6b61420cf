"""Who sees what, by every path: lists, counts, node(id), complaint(trackingId), nested fields."""

from __future__ import annotations

from dataclasses import dataclass

from hub.domain.vocabulary import Privacy, Role
from tests.api.builders import T0, add_agency, add_complaint, hours
from tests.hubclient import hub_client

FIELDS = "id trackingId title reporterHidden reporter { name } timeline { kind actor }"
LIST = f"query($f: ComplaintFilter) {{ complaints(filter: $f, first: 50) {{ totalCount edges {{ node {{ {FIELDS} }} }} }} }}"
NODE = f"query($id: ID!) {{ node(id: $id) {{ ... on Complaint {{ {FIELDS} }} }} }}"
BY_TRACKING = f"query($t: String!) {{ complaint(trackingId: $t) {{ {FIELDS} }} }}"


@dataclass
class World:
    pontianak: str
    bangka: str
    confidential: str
    anonymous: str
    agency_a: int
    agency_b: int
    conf_reporter: int
    anon_reporter: int


async def build(engine) -> World:
    a = await add_agency(engine, "61.71", "Dinas PUPR Kota Pontianak")
    b = await add_agency(engine, "19.71", "Dinas PUPR Kota Pangkalpinang")
    p = await add_complaint(engine, title="Lampu jalan padam", region_code="61.71", reporter="Budi", agency_id=a)
    g = await add_complaint(engine, title="Banjir di Pangkalpinang", region_code="19.71", reporter="Sari", agency_id=b,
                            created_at=T0 + hours(1))
    c = await add_complaint(engine, title="Pungli di kelurahan", region_code="61.71", reporter="Wati",
                            privacy=Privacy.CONFIDENTIAL, agency_id=a, created_at=T0 + hours(2))
    n = await add_complaint(engine, title="Sekolah rusak", region_code="61.71", reporter="Rahmat Anonim",
                            privacy=Privacy.ANONYMOUS, agency_id=a, created_at=T0 + hours(3))
    return World(p.tracking_id, g.tracking_id, c.tracking_id, n.tracking_id, a, b, c.reporter_id, n.reporter_id)


async def listed(hub, token, **filter) -> tuple[dict[str, dict], int]:
    data = await hub.query(LIST, {"f": filter or None}, token=token)
    nodes = {e["node"]["trackingId"]: e["node"] for e in data["complaints"]["edges"]}
    return nodes, data["complaints"]["totalCount"]


async def global_ids(hub) -> dict[str, str]:
    nodes, _ = await listed(hub, hub.token(Role.NATIONAL_ADMIN))
    return {t: n["id"] for t, n in nodes.items()}


async def reachable(hub, token, tracking_id: str, gid: str) -> list[dict | None]:
    """The complaint as reached by node(id) and by complaint(trackingId)."""
    by_node = (await hub.query(NODE, {"id": gid}, token=token))["node"]
    by_tracking = (await hub.query(BY_TRACKING, {"t": tracking_id}, token=token))["complaint"]
    return [by_node or None, by_tracking]


def submitter(node: dict) -> str:
    return next(e["actor"] for e in node["timeline"] if e["kind"] == "SUBMITTED")


async def test_region_admin_never_sees_another_region(engine, database_url):
    w = await build(engine)
    async with hub_client(database_url) as hub:
        gids = await global_ids(hub)
        city = hub.token(Role.REGION_ADMIN, region_codes=["61.71"])
        nodes, total = await listed(hub, city)
        assert set(nodes) == {w.pontianak, w.confidential, w.anonymous} and total == 3
        assert await listed(hub, city, regionCodes=["19.71"]) == ({}, 0)
        assert await listed(hub, city, text="Pangkalpinang") == ({}, 0)
        assert await reachable(hub, city, w.bangka, gids[w.bangka]) == [None, None]
        found = await reachable(hub, city, w.pontianak, gids[w.pontianak])
        assert [f["title"] for f in found] == ["Lampu jalan padam"] * 2

        province = hub.token(Role.REGION_ADMIN, region_codes=["61"])
        nodes, total = await listed(hub, province)
        assert set(nodes) == {w.pontianak, w.confidential, w.anonymous} and total == 3
        assert (await reachable(hub, province, w.confidential, gids[w.confidential]))[0]["title"] == "Pungli di kelurahan"

        bangka = hub.token(Role.REGION_ADMIN, region_codes=["19"])
        assert set((await listed(hub, bangka))[0]) == {w.bangka}


async def test_agency_officer_sees_only_their_dispositions(engine, database_url):
    w = await build(engine)
    async with hub_client(database_url) as hub:
        gids = await global_ids(hub)
        officer_b = hub.token(Role.AGENCY_OFFICER, agency_id=w.agency_b)
        nodes, total = await listed(hub, officer_b)
        assert set(nodes) == {w.bangka} and total == 1
        assert await reachable(hub, officer_b, w.pontianak, gids[w.pontianak]) == [None, None]
        assert await reachable(hub, officer_b, w.confidential, gids[w.confidential]) == [None, None]

        officer_a = hub.token(Role.AGENCY_OFFICER, agency_id=w.agency_a)
        nodes, total = await listed(hub, officer_a)
        assert set(nodes) == {w.pontianak, w.confidential, w.anonymous} and total == 3
        assert nodes[w.confidential]["reporter"] == {"name": "Wati"}  # handling staff see a confidential reporter

        nobody = hub.token(Role.AGENCY_OFFICER, agency_id=w.agency_b + 100)
        assert await listed(hub, nobody) == ({}, 0)


async def test_confidential_reaches_only_its_reporter_and_staff(engine, database_url):
    w = await build(engine)
    async with hub_client(database_url) as hub:
        gids = await global_ids(hub)
        other = hub.token(Role.REPORTER, reporter_id=w.anon_reporter)
        for token in (None, other):
            nodes, total = await listed(hub, token)
            assert w.confidential not in nodes and total == 3
            assert await listed(hub, token, text="pungli") == ({}, 0)
            assert await reachable(hub, token, w.confidential, gids[w.confidential]) == [None, None]

        own = hub.token(Role.REPORTER, reporter_id=w.conf_reporter)
        nodes, total = await listed(hub, own)
        assert w.confidential in nodes and total == 4
        for found in await reachable(hub, own, w.confidential, gids[w.confidential]):
            assert found["reporter"] == {"name": "Wati"} and submitter(found) == "Wati"
        for staff in (hub.token(Role.NATIONAL_ADMIN), hub.token(Role.REGION_ADMIN, region_codes=["61.71"])):
            assert all(await reachable(hub, staff, w.confidential, gids[w.confidential]))


async def test_public_sees_no_reporter_identity(engine, database_url):
    w = await build(engine)
    async with hub_client(database_url) as hub:
        for token in (None, hub.token(Role.REPORTER, reporter_id=w.conf_reporter)):
            nodes, _ = await listed(hub, token)
            others = [n for t, n in nodes.items() if t != w.confidential]
            assert {n["trackingId"] for n in others} == {w.pontianak, w.bangka, w.anonymous}
            assert all(n["reporter"] is None and n["reporterHidden"] for n in others)
            assert not {"Budi", "Sari", "Rahmat Anonim"} & {submitter(n) for n in others}


async def test_anonymous_reporter_reaches_only_national_admin_and_reporter(engine, database_url):
    w = await build(engine)
    async with hub_client(database_url) as hub:
        gids = await global_ids(hub)
        see = [hub.token(Role.NATIONAL_ADMIN), hub.token(Role.REPORTER, reporter_id=w.anon_reporter)]
        hide = [
            None,
            hub.token(Role.REGION_ADMIN, region_codes=["61.71"]),
            hub.token(Role.REGION_ADMIN, region_codes=["61"]),
            hub.token(Role.AGENCY_OFFICER, agency_id=w.agency_a),
            hub.token(Role.REPORTER, reporter_id=w.conf_reporter),
        ]
        for token in see + hide:
            nodes, _ = await listed(hub, token)
            found = [nodes[w.anonymous], *await reachable(hub, token, w.anonymous, gids[w.anonymous])]
            for node in found:
                if token in see:
                    assert node["reporter"] == {"name": "Rahmat Anonim"} and not node["reporterHidden"]
                    assert submitter(node) == "Rahmat Anonim"
                else:
                    assert node["reporter"] is None and node["reporterHidden"]
                    assert "Rahmat" not in str(node["timeline"])
        # the same staff do see a named reporter on a public complaint they handle
        nodes, _ = await listed(hub, hub.token(Role.AGENCY_OFFICER, agency_id=w.agency_a))
        assert nodes[w.pontianak]["reporter"] == {"name": "Budi"} and submitter(nodes[w.pontianak]) == "Budi"


async def test_bad_tokens_are_refused_with_401(engine, database_url):
    from datetime import timedelta

    from hub.tokens import issue_token

    async with hub_client(database_url) as hub:
        expired = issue_token(secret=hub.settings.secret, role=Role.NATIONAL_ADMIN, ttl=timedelta(seconds=-5))
        forged = issue_token(secret="not-the-secret-of-this-hub-but-long-enough", role=Role.NATIONAL_ADMIN)
        for token, words in ((expired, "expired"), (forged, "not valid"), ("garbage", "not valid")):
            response = await hub.post("{ complaints { totalCount } }", token=token)
            assert response.status_code == 401
            assert words in response.json()["errors"][0]["message"]
        response = await hub.http.post("/graphql", json={"query": "{ categories { code } }"},
                                       headers={"Authorization": "Basic abc"})
        assert response.status_code == 401 and "Bearer" in response.json()["errors"][0]["message"]
