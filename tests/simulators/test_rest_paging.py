"""The REST simulator's paging and ordering habits, over real HTTP."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from hub.simulators import FaultConfig, create_app
from hub.simulators.testing import running_app
from tests.simulators.rest_habits import KEY, LOCAL, pages, position, rest, walk

STYLES = ("page", "offset", "cursor", "link", "none")


@pytest.mark.parametrize("order", ["oldest", "newest"])
@pytest.mark.parametrize("paging", STYLES)
def test_every_style_walks_every_record_once_in_the_declared_order(paging: str, order: str) -> None:
    with running_app(create_app(rest(paging=paging, order=order))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        walked = pages(client, paging, size=4)
        assert len(walked) == (1 if paging == "none" else 6)
        records = [r for page in walked for r in page]
        assert sorted(r["id"] for r in records) == list(range(1, 24))  # every record, none twice
        assert [position(r) for r in records] == sorted((position(r) for r in records), reverse=order == "newest")
        # updated_since filters every style alike, inclusive to the second
        boundary = records[11]["tanggal_diperbarui"]
        since = walk(client, paging, size=4, updated_since=boundary)
        expected = [r["id"] for r in records if position(r)[0] >= datetime.strptime(boundary, LOCAL)]
        assert [r["id"] for r in since] == expected and records[11]["id"] in expected


def test_newest_first_serves_the_latest_changes_on_the_first_page() -> None:
    with running_app(create_app(rest(order="newest"))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        first = client.get("/api/v1/laporan", params={"per_page": 5}).json()
        assert first["meta"] == {"page": 1, "per_page": 5, "total": 23, "total_pages": 5}
        latest = max(client.get("/_admin/ground-truth").json()["records"], key=position)
        assert first["data"][0]["id"] == latest["id"]
        client.post("/api/v1/laporan/3/tanggapan", json={"isi": "Sedang dicek petugas."})
        assert client.get("/api/v1/laporan", params={"per_page": 5}).json()["data"][0]["id"] == 3


def test_offset_paging_answers_offset_limit_and_total() -> None:
    with running_app(create_app(rest(paging="offset"))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        body = client.get("/api/v1/laporan", params={"offset": 20, "limit": 5}).json()
        assert body["meta"] == {"offset": 20, "limit": 5, "total": 23} and len(body["data"]) == 3
        assert client.get("/api/v1/laporan").json()["meta"] == {"offset": 0, "limit": 50, "total": 23}
        assert client.get("/api/v1/laporan", params={"offset": 23}).json()["data"] == []
        # page numbers mean nothing here: the same first records come back
        assert client.get("/api/v1/laporan", params={"page": 2, "limit": 5}).json()["data"] == \
            client.get("/api/v1/laporan", params={"limit": 5}).json()["data"]


def test_a_cursor_is_opaque_absent_on_the_last_page_and_a_position_not_an_offset() -> None:
    with running_app(create_app(rest(paging="cursor"))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        first = client.get("/api/v1/laporan", params={"limit": 10}).json()
        assert set(first) == {"data", "next"} and "meta" not in first
        assert not first["next"].isdigit() and str(first["data"][-1]["id"]) != first["next"]
        everything = client.get("/api/v1/laporan", params={"limit": 23}).json()
        assert "next" not in everything and len(everything["data"]) == 23
        # A record of the first page changes while the client walks on: with a
        # cursor nothing is skipped, the changed record comes again at the end.
        moved = first["data"][0]["id"]
        client.post(f"/api/v1/laporan/{moved}/tanggapan", json={"isi": "Petugas meninjau lokasi."})
        rest_of_walk: list[dict] = []
        token = first["next"]
        while token:
            body = client.get("/api/v1/laporan", params={"limit": 10, "cursor": token}).json()
            rest_of_walk.extend(body["data"])
            token = body.get("next")
        seen = [r["id"] for r in first["data"] + rest_of_walk]
        assert set(seen) == set(range(1, 24)) and seen.count(moved) == 2 and rest_of_walk[-1]["id"] == moved


def test_page_numbers_skip_a_record_when_an_earlier_one_changes_mid_walk() -> None:
    # The hazard the cursor avoids, shown for contrast: a record moving from
    # page 1 to the end shifts every later record one place towards the front.
    with running_app(create_app(rest())) as base, httpx.Client(base_url=base, headers=KEY) as client:
        first = client.get("/api/v1/laporan", params={"page": 1, "per_page": 10}).json()["data"]
        client.post(f"/api/v1/laporan/{first[0]['id']}/tanggapan", json={"isi": "Petugas meninjau lokasi."})
        later = [r for page in (2, 3) for r in client.get("/api/v1/laporan", params={"page": page, "per_page": 10}).json()["data"]]
        assert len(set(r["id"] for r in first + later)) == 22  # one record never seen


def test_link_headers_follow_rfc_8288_like_real_servers() -> None:
    with running_app(create_app(rest(paging="link"))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        since = "01/07/2026 00:00:00"
        first = client.get("/api/v1/laporan", params={"per_page": 5, "updated_since": since})
        assert set(first.json()) == {"data"}  # no paging fields in the body
        assert set(first.links) == {"next", "last"}
        next_url = httpx.URL(first.links["next"]["url"])
        assert next_url.is_absolute_url and next_url.path == "/api/v1/laporan"
        assert next_url.params["page"] == "2" and next_url.params["per_page"] == "5"
        assert next_url.params["updated_since"] == since  # every other parameter repeated
        middle = client.get(first.links["next"]["url"])
        assert set(middle.links) == {"prev", "next", "last", "first"}
        assert httpx.URL(middle.links["first"]["url"]).params["page"] == "1"
        last = client.get(first.links["last"]["url"])
        assert set(last.links) == {"prev", "first"} and last.json()["data"]
        header = middle.headers["link"]
        assert header.startswith("<http://127.0.0.1:") and '; rel="prev", <' in header
        # one page only: no Link header at all
        assert "link" not in client.get("/api/v1/laporan", params={"per_page": 100}).headers


def test_no_paging_serves_everything_and_ignores_paging_parameters() -> None:
    with running_app(create_app(rest(paging="none", complaints=60))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        body = client.get("/api/v1/laporan", params={"page": 2, "per_page": 5, "limit": 5}).json()
        assert set(body) == {"data"} and len(body["data"]) == 60
        assert "link" not in client.get("/api/v1/laporan").headers


@pytest.mark.parametrize("paging", ["page", "offset", "cursor", "link"])
def test_the_repeat_fault_starts_every_later_page_with_the_previous_last_record(paging: str) -> None:
    config = rest(paging=paging, complaints=12, faults=FaultConfig(repeat_across_pages=True))
    with running_app(create_app(config)) as base, httpx.Client(base_url=base, headers=KEY) as client:
        walked = pages(client, paging, size=5)
        assert len(walked) >= 3
        for before, after in zip(walked, walked[1:], strict=False):
            assert after[0] == before[-1]
        ids = [r["id"] for page in walked for r in page]
        assert sorted(set(ids)) == list(range(1, 13)) and len(ids) == 12 + len(walked) - 1


@pytest.mark.parametrize(("paging", "params"), [
    ("offset", {"offset": "-1"}), ("offset", {"limit": "0"}), ("offset", {"limit": "1001"}), ("offset", {"offset": "x"}),
    ("cursor", {"limit": "0"}), ("cursor", {"cursor": "not-a-cursor"}), ("cursor", {"cursor": "W10"}),
    ("link", {"page": "0"}), ("link", {"per_page": "1001"}),
    ("none", {"updated_since": "2026-09-01"}),
])
def test_bad_paging_parameters_answer_422_with_the_apps_error(paging: str, params: dict[str, str]) -> None:
    with running_app(create_app(rest(paging=paging, complaints=3))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        answer = client.get("/api/v1/laporan", params=params)
        assert answer.status_code == 422 and answer.json()["error"]


def test_a_cursor_of_the_other_order_is_refused() -> None:
    with running_app(create_app(rest(paging="cursor", complaints=8))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        token = client.get("/api/v1/laporan", params={"limit": 3}).json()["next"]
        assert client.put("/_admin/habits", json={"order": "newest"}).status_code == 200
        answer = client.get("/api/v1/laporan", params={"limit": 3, "cursor": token})
        assert answer.status_code == 422 and "cursor" in answer.json()["error"]
