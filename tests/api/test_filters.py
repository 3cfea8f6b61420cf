"""Every complaint filter, alone and combined; totalCount always agrees with the list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hub.domain.vocabulary import Channel, ComplaintType, Role, Status
from tests.api.builders import COMPLAINTS_QUERY, T0, add_agency, add_complaint, hours
from tests.hubclient import hub_client
from tests.mutations.helpers import global_id


async def build(engine) -> tuple[dict[str, str], int, int]:
    a_id = await add_agency(engine, "61.71", "Dinas PUPR Kota Pontianak")
    b_id = await add_agency(engine, "61.72", "PDAM Kota Singkawang")
    now = datetime.now(UTC)
    made = {
        "a": await add_complaint(engine, title="Jalan RUSAK parah", body="Lubang besar", region_code="61.71",
                                 category_code="ROADS", agency_id=a_id),
        "b": await add_complaint(engine, title="Air PDAM mati", body="Sudah 3 hari; diskon 100% palsu",
                                 region_code="61.72", type=ComplaintType.ASPIRATION, category_code="WATER",
                                 channel=Channel.SMS, agency_id=b_id, status=Status.VERIFIED, created_at=T0 + hours(1)),
        "c": await add_complaint(engine, title="Sekolah_roboh", body="Atap jatuh", region_code="19.71",
                                 type=ComplaintType.INFORMATION_REQUEST, category_code="EDUCATION",
                                 channel=Channel.MOBILE, status=Status.IN_PROGRESS, created_at=T0 + hours(2)),
        # verified in time and its resolution not yet due: on time
        "d": await add_complaint(engine, title="Lampu padam", body="Gang gelap, JALAN tak terlihat",
                                 region_code="61.01", category_code="ELECTRICITY", agency_id=a_id,
                                 status=Status.DISPOSITIONED, created_at=T0 + hours(3),
                                 verified_at=T0 + hours(4), resolve_due=now + timedelta(days=30)),
        # submitted just now: nothing due yet
        "e": await add_complaint(engine, title="Sampah menumpuk", body="Bau", region_code="61.71",
                                 category_code="ENVIRONMENT", created_at=now - timedelta(minutes=5), now=now),
    }
    return {key: c.tracking_id for key, c in made.items()}, a_id, b_id


async def test_each_filter(engine, database_url):
    t, a_id, b_id = await build(engine)
    iso = lambda moment: moment.isoformat()  # noqa: E731
    cases = [
        ({"regionCodes": ["61.71"]}, "ae"),
        ({"regionCodes": ["61"]}, "abde"),
        ({"regionCodes": ["61.72", "19.71"]}, "bc"),
        ({"provinceCode": "61"}, "abde"),
        ({"provinceCode": "19"}, "c"),
        ({"statuses": ["VERIFIED", "IN_PROGRESS"]}, "bc"),
        ({"types": ["ASPIRATION"]}, "b"),
        ({"types": ["COMPLAINT"]}, "ade"),
        ({"categoryCodes": ["ROADS", "EDUCATION"]}, "ac"),
        ({"channels": ["SMS", "MOBILE"]}, "bc"),
        ({"agencyIds": [global_id("Agency", a_id)]}, "ad"),
        ({"agencyIds": [global_id("Agency", a_id), global_id("Agency", b_id)]}, "abd"),
        ({"createdFrom": iso(T0 + hours(1))}, "bcde"),
        ({"createdTo": iso(T0 + hours(1))}, "a"),
        ({"createdFrom": iso(T0 + hours(1)), "createdTo": iso(T0 + hours(3))}, "bc"),
        ({"createdFrom": "2025-03-03T16:00:00+07:00", "createdTo": "2025-03-03T17:00:00+07:00"}, "b"),
        ({"slaBreached": True}, "abc"),
        ({"slaBreached": False}, "de"),
        ({"text": "rusak"}, "a"),
        ({"text": "jalan"}, "ad"),
        ({"text": "  ATAP  "}, "c"),
        ({"text": "100%"}, "b"),
        ({"text": "%"}, ""),  # no word to look for
        ({"text": "_"}, ""),
        ({"text": "roboh"}, "c"),  # "Sekolah_roboh": punctuation separates words
        ({"text": "h_ri"}, ""),
        ({"text": "tidak ada"}, ""),
        ({"text": "rusak jalan"}, "a"),  # words in any order
        ({"text": "parah, jalan RUSAK!"}, "a"),
        ({"text": "lubang jalan"}, "a"),  # title and body together
        ({"text": "jal"}, "ad"),  # a word's beginning
        ({"text": "jalán"}, "ad"),  # accents ignored
        ({"text": "jalan sampah"}, ""),
        ({"regionCodes": ["61"], "types": ["COMPLAINT"], "text": "jalan"}, "ad"),
        ({"regionCodes": ["61"], "types": ["COMPLAINT"], "text": "jalan", "slaBreached": False}, "d"),
        ({"provinceCode": "61", "statuses": ["SUBMITTED"], "categoryCodes": ["ENVIRONMENT", "ROADS"],
          "channels": ["WEB"], "createdFrom": iso(T0)}, "ae"),
    ]
    async with hub_client(database_url) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)
        for given, expected in cases:
            data = await hub.query(COMPLAINTS_QUERY, {"filter": given}, token=national)
            got = {edge["node"]["trackingId"] for edge in data["complaints"]["edges"]}
            assert got == {t[key] for key in expected}, given
            assert data["complaints"]["totalCount"] == len(expected), given


async def test_breach_shown_on_each_complaint_matches_the_filter(engine, database_url):
    t, _, _ = await build(engine)
    query = "query($f: ComplaintFilter) { complaints(filter: $f) { edges { node { trackingId slaBreached verifyBreached } } } }"
    async with hub_client(database_url) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)
        for flag in (True, False):
            nodes = (await hub.query(query, {"f": {"slaBreached": flag}}, token=national))["complaints"]["edges"]
            assert nodes and all(n["node"]["slaBreached"] is flag for n in nodes)
        late = (await hub.query(query, {"f": {"text": "rusak"}}, token=national))["complaints"]["edges"][0]["node"]
        assert late["verifyBreached"] is True


async def test_place_due_date_filters_and_due_date_order(engine, database_url):
    now = datetime.now(UTC)
    made = {
        # Pontianak city centre, the Kapuas bridge 2 km away, Singkawang 120 km north, Jakarta far away
        "centre": await add_complaint(engine, title="Pusat kota", latitude=-0.0263, longitude=109.3425,
                                      resolve_due=now + timedelta(days=5)),
        "bridge": await add_complaint(engine, title="Jembatan Kapuas", latitude=-0.0330, longitude=109.3590,
                                      resolve_due=now + timedelta(days=2)),
        "singkawang": await add_complaint(engine, title="Singkawang", region_code="61.72", latitude=0.9060,
                                          longitude=108.9870, resolve_due=now + timedelta(days=20)),
        "jakarta": await add_complaint(engine, title="Monas", region_code="31.71", latitude=-6.1754,
                                       longitude=106.8272, resolve_due=now + timedelta(days=1)),
        "nowhere": await add_complaint(engine, title="Tanpa lokasi", resolve_due=now + timedelta(days=3)),
    }
    t = {key: c.tracking_id for key, c in made.items()}
    query = """query($filter: ComplaintFilter, $orderBy: ComplaintOrder) {
      complaints(filter: $filter, orderBy: $orderBy, first: 50) { totalCount edges { node { trackingId } } } }"""
    async with hub_client(database_url, schedule=False) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)

        async def found(filter: dict, order: str = "CREATED_AT_DESC") -> list[str]:
            data = (await hub.query(query, {"filter": filter, "orderBy": order}, token=national))["complaints"]
            assert data["totalCount"] == len(data["edges"])
            return [edge["node"]["trackingId"] for edge in data["edges"]]

        near = {"latitude": -0.0263, "longitude": 109.3425}
        assert set(await found({"near": {**near, "radiusKm": 1}})) == {t["centre"]}
        assert set(await found({"near": {**near, "radiusKm": 5}})) == {t["centre"], t["bridge"]}
        assert set(await found({"near": {**near, "radiusKm": 150}})) == {t["centre"], t["bridge"], t["singkawang"]}
        box = {"south": -1.0, "west": 108.0, "north": 1.0, "east": 110.0}
        assert set(await found({"within": box})) == {t["centre"], t["bridge"], t["singkawang"]}
        soon = {"resolveDueFrom": now.isoformat(), "resolveDueTo": (now + timedelta(days=4)).isoformat()}
        assert set(await found(soon)) == {t["bridge"], t["jakarta"], t["nowhere"]}
        assert await found({}, "RESOLVE_DUE_ASC") == [t[k] for k in ("jakarta", "bridge", "nowhere", "centre", "singkawang")]
        assert await found({}, "RESOLVE_DUE_DESC") == [t[k] for k in ("singkawang", "centre", "nowhere", "bridge", "jakarta")]

        errors = await hub.errors(query, {"filter": {"near": {**near, "radiusKm": 0}}}, token=national)
        assert errors[0]["extensions"]["field"] == "filter.near.radiusKm"
        errors = await hub.errors(query, {"filter": {"within": {**box, "south": 2.0}}}, token=national)
        assert "south <= north" in errors[0]["message"]
