"""Choosing the REST simulator's habits: in its configuration and at ``/_admin/habits``."""

from __future__ import annotations

import httpx
import pytest

from hub.simulators import SimulatorConfig, create_app
from hub.simulators.habits import RestHabits
from hub.simulators.testing import running_app
from tests.simulators.rest_habits import KEY, REFERENCE_NOW, rest

DEFAULTS = {"paging": "page", "order": "oldest", "auth": "header", "flags": "boolean", "privacy": "none", "dialect": "sipadu"}


def test_habits_are_validated_with_the_allowed_values_named() -> None:
    assert RestHabits().to_dict() == DEFAULTS
    with pytest.raises(ValueError, match="paging 'scroll' is not one of page, offset, cursor, link, none"):
        RestHabits(paging="scroll")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown habit"):
        RestHabits().merged({"sorting": "newest"})
    with pytest.raises(ValueError, match="habits of the rest simulator"):
        SimulatorConfig(kind="open311", region_code="61.71", reference_now=REFERENCE_NOW, habits=RestHabits(order="newest"))


def test_habits_are_read_and_changed_through_the_admin_endpoint() -> None:
    with running_app(create_app(rest(complaints=4, paging="cursor"))) as base, httpx.Client(base_url=base) as client:
        assert client.get("/_admin/habits").json() == {**DEFAULTS, "paging": "cursor"}
        changed = client.put("/_admin/habits", json={"order": "newest", "auth": "bearer"})
        assert changed.status_code == 200 and changed.json() == {**DEFAULTS, "paging": "cursor", "order": "newest", "auth": "bearer"}
        assert client.put("/_admin/habits", json={"flags": "ya-tidak"}).json()["auth"] == "bearer"  # merged, not replaced
        for bad in ({"paging": "scroll"}, {"gremlins": 1}, ["paging"]):
            answer = client.put("/_admin/habits", json=bad)
            assert answer.status_code == 422 and answer.json()["error"]
        assert client.get("/_admin/habits").json()["flags"] == "ya-tidak"
        # the app answers in its new ways at once
        assert client.get("/api/v1/laporan", headers=KEY).status_code == 401
        listing = client.get("/api/v1/laporan", headers={"Authorization": "Bearer sim-key"}, params={"limit": 2}).json()
        assert "next" in listing and {r["pelapor"]["anonim"] for r in listing["data"]} <= {"ya", "tidak"}


def test_an_open311_or_csv_simulator_has_no_habits_endpoint() -> None:
    config = SimulatorConfig(kind="csv", region_code="64.09", complaints=1, reference_now=REFERENCE_NOW)
    with running_app(create_app(config)) as base:
        assert httpx.get(f"{base}/_admin/habits").status_code == 404
