"""Reference data: the region tree, categories and agencies."""

from __future__ import annotations

from tests.api.builders import add_agency
from tests.hubclient import hub_client

KALBAR = ["61.01", "61.02", "61.03", "61.04", "61.05", "61.06", "61.07", "61.08", "61.09", "61.10", "61.11",
          "61.12", "61.71", "61.72"]


async def test_region_tree(database_url):
    async with hub_client(database_url) as hub:
        provinces = (await hub.query("{ regions(level: PROVINCE) { code name level parentCode } }"))["regions"]
        assert len(provinces) == 38 and len({p["code"] for p in provinces}) == 38
        assert all(p["level"] == "PROVINCE" and p["parentCode"] is None for p in provinces)
        assert {"code": "61", "name": "Kalimantan Barat", "level": "PROVINCE", "parentCode": None} in provinces
        assert len((await hub.query("{ regions { code } }"))["regions"]) == 552

        kalbar = (await hub.query('{ regions(parentCode: "61") { code name level parent { name } } }'))["regions"]
        assert [r["code"] for r in kalbar] == KALBAR
        assert {r["level"] for r in kalbar} == {"REGENCY", "CITY"}
        assert all(r["parent"] == {"name": "Kalimantan Barat"} for r in kalbar)

        city = (await hub.query('{ region(code: "61.71") { id code name level timeZone parent { code name timeZone } } }'))["region"]
        assert city["name"] == "Kota Pontianak" and city["level"] == "CITY" and city["timeZone"] == "WIB"
        assert city["parent"] == {"code": "61", "name": "Kalimantan Barat", "timeZone": "WIB"}
        again = await hub.query("query($id: ID!) { node(id: $id) { ... on Region { code } } }", {"id": city["id"]})
        assert again["node"] == {"code": "61.71"}

        zones = await hub.query('{ a: region(code: "73.71") { timeZone } b: region(code: "94") { timeZone } }')
        assert (zones["a"]["timeZone"], zones["b"]["timeZone"]) == ("WITA", "WIT")

        province = (await hub.query('{ region(code: "61") { parent { code } children { code parentCode } } }'))["region"]
        assert province["parent"] is None
        assert [c["code"] for c in province["children"]] == KALBAR
        assert all(c["parentCode"] == "61" for c in province["children"])
        leaf = (await hub.query('{ region(code: "61.72") { children { code } } }'))["region"]
        assert leaf["children"] == []


async def test_categories(database_url):
    async with hub_client(database_url) as hub:
        categories = (await hub.query("{ categories { code name resolveDays } }"))["categories"]
        assert len(categories) == 16
        assert [c["name"] for c in categories] == sorted(c["name"] for c in categories)
        assert {"code": "ROADS", "name": "Jalan dan Jembatan", "resolveDays": 14} in categories
        assert {"code": "EDUCATION", "name": "Pendidikan", "resolveDays": None} in categories


async def test_agencies_of_a_region(engine, database_url):
    await add_agency(engine, "61.71", "Dinas Pendidikan Kota Pontianak")
    await add_agency(engine, "61.71", "Dinas Kesehatan Kota Pontianak")
    await add_agency(engine, "61.72", "Dinas Kesehatan Kota Singkawang")
    async with hub_client(database_url) as hub:
        query = "query($r: String) { agencies(regionCode: $r) { name regionCode region { name } } }"
        pontianak = (await hub.query(query, {"r": "61.71"}))["agencies"]
        assert [a["name"] for a in pontianak] == ["Dinas Kesehatan Kota Pontianak", "Dinas Pendidikan Kota Pontianak"]
        assert all(a["regionCode"] == "61.71" and a["region"] == {"name": "Kota Pontianak"} for a in pontianak)
        assert len((await hub.query(query))["agencies"]) == 3
        assert (await hub.query(query, {"r": "61"}))["agencies"] == []
