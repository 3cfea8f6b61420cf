"""How an Open311 simulator cuts GET requests: the extension's pages, or a
server without paging that serves a date window, newest first, up to a cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from hub.simulators import create_app
from hub.simulators.testing import running_app
from tests.simulators.georeport import json_error, open311, requested, without_updates, xml_error, xml_items


def ids(records: list[dict]) -> list[str]:
    return [r["service_request_id"] for r in records]


def truth(client: httpx.Client) -> list[dict]:
    return client.get("/_admin/ground-truth").json()["records"]


def test_extension_pages_apply_dates_and_status_before_cutting() -> None:
    with running_app(create_app(open311(complaints=60))) as base, httpx.Client(base_url=base) as client:
        everything = truth(client)
        middle = sorted(requested(r) for r in everything)[15]
        start, end = middle.isoformat(), (middle + timedelta(days=40)).isoformat()
        wanted = {r["service_request_id"] for r in everything
                  if middle <= requested(r) <= middle + timedelta(days=40) and r["status"] == "open"}
        assert len(wanted) > 10
        pages: list[list[dict]] = []
        while batch := client.get("/requests.json", params={"start_date": start, "end_date": end, "status": "open",
                                                            "page": len(pages) + 1, "page_size": 4}).json():
            pages.append(batch)
        assert all(len(page) == 4 for page in pages[:-1])  # filtered pages come back full
        assert sorted(ids([r for page in pages for r in page])) == sorted(wanted)
        stamps = [datetime.fromisoformat(r["updated_datetime"]) for page in pages for r in page]
        assert stamps == sorted(stamps)
        # service_code and a comma-separated status list filter too.
        roads = client.get("/requests.json", params={"service_code": "JLN,PJU", "status": "open,closed", "page_size": 100}).json()
        assert sorted(ids(roads)) == sorted(r["service_request_id"] for r in everything if r["service_code"] in ("JLN", "PJU"))
        assert client.get("/requests.json", params={"service_code": "NOPE"}).json() == []


def test_without_paging_page_and_updated_after_are_ignored() -> None:
    with running_app(create_app(open311(complaints=30, paging="none"))) as base, httpx.Client(base_url=base) as client:
        window = {"start_date": "2026-07-03T00:00:00Z", "end_date": "2026-10-01T00:00:00Z"}  # 90 days: every seeded one
        first = client.get("/requests.json", params=window).json()
        assert len(first) == 30
        for extra in ({"page": 2}, {"page": 3, "page_size": 5}, {"updated_after": "2026-09-30T00:00:00Z"}):
            assert client.get("/requests.json", params={**window, **extra}).json() == first, extra
        assert [requested(r) for r in first] == sorted((requested(r) for r in first), reverse=True)  # newest first


def test_without_paging_the_newest_requests_up_to_the_cap_are_served() -> None:
    with running_app(create_app(open311(complaints=60, paging="none", cap=25))) as base, httpx.Client(base_url=base) as client:
        everything = sorted(truth(client), key=lambda r: (requested(r), int(r["service_request_id"])), reverse=True)
        window = {"start_date": "2026-07-03T07:00:00+07:00", "end_date": "2026-10-01T07:00:00+07:00"}
        served = client.get("/requests.json", params=window).json()
        assert ids(served) == ids(everything[:25])
        assert xml_items(client.get("/requests.xml", params=window), "service_requests", "request")[0]["service_request_id"] \
            == served[0]["service_request_id"]
        # A client that moves the window's end to the oldest time it was served reads everything, none lost.
        seen: dict[str, dict] = {}
        end = window["end_date"]
        for _ in range(10):
            batch = client.get("/requests.json", params={"start_date": window["start_date"], "end_date": end}).json()
            seen.update({r["service_request_id"]: r for r in batch})
            if len(batch) < 25:
                break
            end = batch[-1]["requested_datetime"]
        assert sorted(seen) == sorted(ids(everything))
        # The filters come before the cap.
        closed = client.get("/requests.json", params={**window, "status": "closed"}).json()
        assert ids(closed) == ids([r for r in everything if r["status"] == "closed"][:25])
        assert client.get("/requests.json", params={**window, "service_request_id": "1,2,60"}).json() == \
            [without_updates(r) for r in truth(client) if r["service_request_id"] in ("1", "2", "60")]  # ids override every other argument


def test_without_paging_the_default_window_is_the_last_90_days() -> None:
    # Seed data ends 30 days ago, so it reaches back 120 days: a third of it lies outside the default window.
    ended = datetime.now(UTC).replace(microsecond=0) - timedelta(days=30)
    with running_app(create_app(open311(complaints=80, paging="none", reference_now=ended))) as base, \
            httpx.Client(base_url=base) as client:
        everything = truth(client)
        before = datetime.now(UTC)
        served = client.get("/requests.json").json()
        after = datetime.now(UTC)
        surely = {r["service_request_id"] for r in everything if requested(r) >= after - timedelta(days=90)}
        maybe = {r["service_request_id"] for r in everything if requested(r) >= before - timedelta(days=90, seconds=1)}
        assert surely <= set(ids(served)) <= maybe
        assert 0 < len(served) < len(everything)
        # Only one end given: the window reaches 90 days from it.
        start = min(requested(r) for r in everything)
        from_start = client.get("/requests.json", params={"start_date": start.isoformat()}).json()
        assert set(ids(from_start)) == {r["service_request_id"] for r in everything
                                        if requested(r) <= start + timedelta(days=90)}
        end = max(requested(r) for r in everything) - timedelta(days=40)
        to_end = client.get("/requests.json", params={"end_date": end.isoformat()}).json()
        assert set(ids(to_end)) == {r["service_request_id"] for r in everything
                                    if end - timedelta(days=90) <= requested(r) <= end}


def test_a_window_wider_than_the_servers_or_backwards_is_refused() -> None:
    with running_app(create_app(open311(complaints=5, paging="none", window_days=30))) as base, \
            httpx.Client(base_url=base) as client:
        wide = {"start_date": "2026-08-01T00:00:00Z", "end_date": "2026-09-01T00:00:01Z"}
        assert "30 days" in json_error(client.get("/requests.json", params=wide), 400)
        assert "30 days" in xml_error(client.get("/requests.xml", params=wide), 400)
        assert client.get("/requests.json", params={**wide, "end_date": "2026-08-31T00:00:00Z"}).status_code == 200
        backwards = {"start_date": "2026-09-01T00:00:00Z", "end_date": "2026-08-01T00:00:00Z"}
        assert "before" in json_error(client.get("/requests.json", params=backwards), 400)


def test_window_ends_are_inclusive_to_the_second() -> None:
    with running_app(create_app(open311(complaints=20, paging="none"))) as base, httpx.Client(base_url=base) as client:
        record = truth(client)[7]
        moment = record["requested_datetime"]
        exact = client.get("/requests.json", params={"start_date": moment, "end_date": moment}).json()
        assert record["service_request_id"] in ids(exact)
        in_utc = requested(record).astimezone(UTC).isoformat().replace("+00:00", "Z")
        assert ids(client.get("/requests.json", params={"start_date": in_utc, "end_date": in_utc}).json()) == ids(exact)


def test_a_capped_server_of_5000_requests_is_read_whole_by_date_windows() -> None:
    config = open311(complaints=5000, seed=8, paging="none", formats="xml")
    with running_app(create_app(config)) as base, httpx.Client(base_url=base, timeout=60) as client:
        total = len(truth(client))
        assert total == 5000
        seen: set[str] = set()
        start = "2026-07-03T00:00:00Z"
        end = "2026-10-01T00:00:00Z"
        answers = 0
        while True:
            batch = xml_items(client.get("/requests.xml", params={"start_date": start, "end_date": end}),
                              "service_requests", "request")
            answers += 1
            assert len(batch) <= 1000
            seen.update(r["service_request_id"] for r in batch)
            if len(batch) < 1000:
                break
            end = batch[-1]["requested_datetime"]
        assert len(seen) == 5000 and answers >= 5
