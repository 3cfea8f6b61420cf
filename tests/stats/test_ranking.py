"""Ranking regions of a province by the composite index, each component shown."""

from __future__ import annotations

import pytest

from hub.domain.vocabulary import Role
from tests.hubclient import hub_client
from tests.stats.dataset import load

RANKING = """
query($province: String, $period: String) {
  ranking(provinceCode: $province, period: $period) {
    rank code name index completionRate followUpOnTimeRate averageRating ratingScore total completed slaBreaches
  }
}
"""


async def test_regions_of_a_province_rank_by_the_documented_index(database_url, engine):
    await load(engine)
    async with hub_client(database_url) as hub:
        rows = (await hub.query(RANKING, {"province": "35"}, token=hub.token(Role.NATIONAL_ADMIN)))["ranking"]
    assert len(rows) == 38
    first, second = rows[0], rows[1]
    assert (first["rank"], first["code"], first["name"]) == (1, "35.78", "Kota Surabaya")
    assert first["completionRate"] == pytest.approx(2 / 3)
    assert first["followUpOnTimeRate"] == pytest.approx(2 / 3)
    assert first["ratingScore"] == pytest.approx(0.8)
    assert first["index"] == pytest.approx(0.5 * 2 / 3 + 0.3 * 2 / 3 + 0.2 * 0.8)
    # Kota Malang: nothing completed, no follow-up or rating yet: the index is its completion rate alone
    assert (second["rank"], second["code"], second["index"], second["followUpOnTimeRate"]) == (2, "35.73", 0.0, None)
    empty = rows[2:]
    assert all(r["rank"] is None and r["index"] is None and r["total"] == 0 for r in empty)
    assert [r["code"] for r in empty] == sorted(r["code"] for r in empty)


async def test_provinces_rank_nationally_and_a_period_narrows_the_figures(database_url, engine):
    await load(engine)
    async with hub_client(database_url) as hub:
        token = hub.token(Role.NATIONAL_ADMIN)
        national = (await hub.query(RANKING, {}, token=token))["ranking"]
        may = (await hub.query(RANKING, {"province": "35", "period": "2025-05"}, token=token))["ranking"]
    assert [(r["rank"], r["code"]) for r in national[:2]] == [(1, "61"), (2, "35")]
    assert national[0]["index"] == pytest.approx(1.0 * 0.5 + 1.0 * 0.3 + 0.8 * 0.2)
    assert len(national) == 38
    assert (may[0]["code"], may[0]["total"], may[0]["completionRate"]) == ("35.78", 2, 1.0)
    assert may[1]["index"] is None  # Kota Malang had no complaint in May


async def test_a_bad_period_is_explained(database_url):
    async with hub_client(database_url) as hub:
        errors = await hub.errors(RANKING, {"province": "35", "period": "May 2025"})
    assert "2025-06" in errors[0]["message"] and errors[0]["extensions"]["field"] == "period"
