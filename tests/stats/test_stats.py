"""Statistics as national staff read them, checked against hand-computed figures."""

from __future__ import annotations

import pytest

from hub.domain.vocabulary import Role
from tests.hubclient import hub_client
from tests.stats.dataset import load

FIELDS = """
  key label total completed completionRate medianHoursToResolve p90HoursToResolve
  followUpsDue followUpsOnTime followUpOnTimeRate rated averageRating
  slaBreaches { verify followUp resolve total }
"""
STATS = f"""
query($groupBy: StatsGroupBy!, $filter: ComplaintFilter) {{
  stats(groupBy: $groupBy, filter: $filter) {{ groupBy groups {{ {FIELDS} }} overall {{ {FIELDS} }} }}
}}
"""


async def _stats(hub, group_by: str, filter: dict | None = None, token: str | None = None) -> dict:
    data = await hub.query(STATS, {"groupBy": group_by, "filter": filter}, token=token)
    return data["stats"]


def _by_key(stats: dict) -> dict[str, dict]:
    return {g["key"]: g for g in stats["groups"]}


async def test_national_figures_by_province_match_the_hand_count(database_url, engine):
    await load(engine)
    async with hub_client(database_url) as hub:
        stats = await _stats(hub, "PROVINCE", token=hub.token(Role.NATIONAL_ADMIN))
    groups = _by_key(stats)
    assert len(groups) == 38  # every province, with or without complaints
    east_java = groups["35"]
    assert east_java["label"] == "Jawa Timur"
    assert (east_java["total"], east_java["completed"], east_java["completionRate"]) == (4, 2, 0.5)
    assert east_java["medianHoursToResolve"] == pytest.approx(20.0)
    assert east_java["p90HoursToResolve"] == pytest.approx(28.0)
    assert (east_java["followUpsDue"], east_java["followUpsOnTime"]) == (3, 2)
    assert east_java["followUpOnTimeRate"] == pytest.approx(2 / 3)
    assert east_java["slaBreaches"] == {"verify": 2, "followUp": 1, "resolve": 1, "total": 4}
    assert (east_java["rated"], east_java["averageRating"]) == (2, 4.0)
    west_kalimantan = groups["61"]
    assert (west_kalimantan["total"], west_kalimantan["completionRate"]) == (1, 1.0)
    assert west_kalimantan["medianHoursToResolve"] == pytest.approx(50.0)
    aceh = groups["11"]
    assert (aceh["total"], aceh["completed"], aceh["completionRate"], aceh["medianHoursToResolve"]) == (0, 0, None, None)
    assert aceh["slaBreaches"]["total"] == 0
    overall = stats["overall"]
    assert (overall["total"], overall["completed"], overall["completionRate"]) == (5, 3, 0.6)
    assert overall["medianHoursToResolve"] == pytest.approx(30.0)
    assert overall["p90HoursToResolve"] == pytest.approx(46.0)
    assert overall["averageRating"] == pytest.approx(4.0)


RELAY_STATS = f"""
query($groupBy: StatsGroupBy!) {{ ...Figures }}
fragment Figures on Query {{ stats(groupBy: $groupBy) {{ ...Groups overall {{ ...Group }} }} }}
fragment Groups on Stats {{ groupBy groups {{ ...Group }} }}
fragment Group on StatsGroup {{ {FIELDS} }}
"""


async def test_a_relay_query_written_in_fragments_gets_the_same_figures(database_url, engine):
    await load(engine)
    async with hub_client(database_url) as hub:
        token = hub.token(Role.NATIONAL_ADMIN)
        plain = await _stats(hub, "PROVINCE", token=token)
        relay = (await hub.query(RELAY_STATS, {"groupBy": "PROVINCE"}, token=token))["stats"]
    assert relay == plain
    assert relay["overall"]["medianHoursToResolve"] == pytest.approx(30.0)


async def test_regions_of_a_province_are_all_listed_even_without_complaints(database_url, engine):
    await load(engine)
    async with hub_client(database_url) as hub:
        stats = await _stats(hub, "REGION", {"provinceCode": "35"}, token=hub.token(Role.NATIONAL_ADMIN))
    groups = _by_key(stats)
    assert len(groups) == 38 and all(code.startswith("35.") for code in groups)
    assert groups["35.78"]["total"] == 3 and groups["35.78"]["completionRate"] == pytest.approx(2 / 3)
    assert groups["35.73"]["total"] == 1 and groups["35.73"]["completionRate"] == 0.0
    assert groups["35.01"] == {**groups["35.01"], "total": 0, "completionRate": None, "averageRating": None}
    assert stats["overall"]["total"] == 4


async def test_every_status_and_channel_is_listed(database_url, engine):
    await load(engine)
    async with hub_client(database_url) as hub:
        token = hub.token(Role.NATIONAL_ADMIN)
        statuses = _by_key(await _stats(hub, "STATUS", token=token))
        channels = _by_key(await _stats(hub, "CHANNEL", token=token))
        categories = _by_key(await _stats(hub, "CATEGORY", token=token))
    assert len(statuses) == 10
    assert {k: g["total"] for k, g in statuses.items() if g["total"]} == {
        "RESOLVED": 2, "CLOSED": 1, "IN_PROGRESS": 1, "SUBMITTED": 1}
    assert statuses["REJECTED"]["total"] == 0
    assert channels["SMS"]["total"] == 1 and channels["WEB"]["total"] == 4 and channels["MANUAL"]["total"] == 0
    assert categories["ROADS"]["total"] == 4 and categories[""]["total"] == 1


async def test_months_of_the_range_are_listed_even_when_empty(database_url, engine):
    await load(engine)
    period = {"createdFrom": "2025-03-31T17:00:00+00:00", "createdTo": "2025-06-30T17:00:00+00:00"}  # Apr-Jun WIB
    async with hub_client(database_url) as hub:
        stats = await _stats(hub, "MONTH", period, token=hub.token(Role.NATIONAL_ADMIN))
    assert [(g["key"], g["total"], g["completed"]) for g in stats["groups"]] == [
        ("2025-04", 0, 0), ("2025-05", 2, 2), ("2025-06", 3, 1)]


async def test_a_region_admin_sees_only_their_regions(database_url, engine):
    await load(engine)
    async with hub_client(database_url) as hub:
        token = hub.token(Role.REGION_ADMIN, region_codes=["61.71"])
        provinces = await _stats(hub, "PROVINCE", token=token)
        regions = await _stats(hub, "REGION", token=token)
    assert [(g["key"], g["total"]) for g in provinces["groups"]] == [("61", 1)]
    assert [(g["key"], g["total"]) for g in regions["groups"]] == [("61.71", 1)]
    assert provinces["overall"]["total"] == 1


async def test_the_public_gets_aggregates_of_non_confidential_complaints(database_url, engine):
    await load(engine)
    async with hub_client(database_url) as hub:
        stats = await _stats(hub, "PROVINCE")
    east_java = _by_key(stats)["35"]
    assert east_java["total"] == 3  # the confidential one in 35.73 is not counted
    assert east_java["slaBreaches"]["verify"] == 1
    assert stats["overall"]["total"] == 4


async def test_an_unknown_province_is_refused(database_url):
    async with hub_client(database_url) as hub:
        errors = await hub.errors(STATS, {"groupBy": "REGION", "filter": {"provinceCode": "99"}})
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_monthly_statistics_over_a_range_past_the_limit_are_refused_naming_the_limit(database_url):
    async with hub_client(database_url, schedule=False) as hub:
        query = "query($f: ComplaintFilter) { stats(groupBy: MONTH, filter: $f) { groups { key } } }"
        (error,) = await hub.errors(query, {"f": {"createdFrom": "2000-01-01T00:00:00+07:00",
                                                  "createdTo": "9999-12-01T00:00:00+07:00"}})
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert "at most 120 months (HUB_STATS_MAX_MONTHS)" in error["message"]
        assert "2000-01 to 9999-11 is 95,999 months" in error["message"]
        (error,) = await hub.errors(query, {"f": {"createdTo": "9999-12-01T00:00:00+07:00"}})
        assert "at most 120 months" in error["message"]
        ten_years = {"createdFrom": "2016-01-01T00:00:00+07:00", "createdTo": "2026-01-01T00:00:00+07:00"}
        assert len((await hub.query(query, {"f": ten_years}))["stats"]["groups"]) == 120
        # grouped otherwise, the same range is fine: the groups do not depend on it
        assert await hub.query("query($f: ComplaintFilter) { stats(groupBy: STATUS, filter: $f) { groups { key } } }",
                               {"f": {"createdFrom": "2000-01-01T00:00:00+07:00",
                                      "createdTo": "9999-12-01T00:00:00+07:00"}})
