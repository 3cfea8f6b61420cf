"""A GeoReport server without paging (windows on requested_datetime, a cap
per answer) is read completely in a bounded number of requests; a server
that ignores the paging a region declares ends its run within that bound,
FAILED, with an error that says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hub.connectors.open311.windows import Walk
from hub.connectors.records import FatalError
from hub.store.sync_models import RunStatus
from tests.open311.servers import CountingClient, assert_matches, open311_region, pull, run_row

REQUESTS = 5000
CAP = 1000
EMPTY_WINDOWS = 4
# one capped answer per CAP requests, the answer below the cap that ends the newest window, the window
# before it, then the empty windows that stop the walk
BOUND = REQUESTS // CAP + 2 + EMPTY_WINDOWS


async def test_a_capped_unpaged_server_is_read_completely_by_windows(engine, monkeypatch):
    with open311_region(monkeypatch, flavour="georeport", complaints=REQUESTS, reference_now=None, cap=CAP,
                        options={"format": "xml", "empty_windows_to_stop": EMPTY_WINDOWS}) as (region, config):
        async with CountingClient() as client:
            report = await pull(engine, config, full=True, client=client)
        assert report.status is RunStatus.SUCCEEDED, report.error
        assert report.created == REQUESTS and report.rejected == 0
        assert len(client.paths) <= BOUND, client.paths
        assert set(client.paths) == {"/requests.xml"}
        await assert_matches(engine, region, with_updates=False)


async def test_a_server_that_ignores_paging_fails_the_run_within_the_bound(engine, monkeypatch):
    # The region declares the paging extension; the server ignores page, page_size and updated_after.
    with open311_region(monkeypatch, flavour="georeport", complaints=REQUESTS, reference_now=None, cap=CAP,
                        options={"paging": "extension", "format": "xml"}, region={"page_size": 100}) as (region, config):
        async with CountingClient() as client:
            report = await pull(engine, config, full=True, client=client)
        assert report.status is RunStatus.FAILED
        assert len(client.paths) <= BOUND, client.paths
        assert "region 61.71" in report.error and "ignores paging" in report.error, report.error
        assert 'paging = "windows"' in report.error
        row = await run_row(engine, report.run_id)
        assert row.status is RunStatus.FAILED and row.error == report.error and row.finished_at is not None


async def test_an_incremental_run_rereads_only_what_the_updates_feed_names(engine, monkeypatch):
    with open311_region(monkeypatch, flavour="mysociety", complaints=40) as (region, config):
        assert (await pull(engine, config, full=True)).status is RunStatus.SUCCEEDED
        region.tick(10)
        async with CountingClient() as client:
            report = await pull(engine, config, client=client)
        assert report.status is RunStatus.SUCCEEDED, report.error
        singles = [p for p in client.paths if p.startswith("/requests/")]
        assert singles and len(singles) <= 10  # each request an update names, read once by its id
        assert len(client.paths) <= len(singles) + 6
        await assert_matches(engine, region, with_updates=True)


def test_a_walk_narrows_newest_first_answers_halves_others_and_stops_at_its_floor() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    walk = Walk.begin(now, days=90, floor=now - timedelta(days=2), stop_after_empty=4)
    start, end = walk.current()
    assert start == now - timedelta(days=2) and end == now + timedelta(hours=1)  # no wider than the floor asks
    stamps = [now - timedelta(hours=h) for h in range(3)]  # newest first, reaching the cap of 3
    walk.advance("61.71", stamps, ["9", "8", "7"], cap=3)
    assert walk.current() == (start, stamps[-1])  # the end moves to the oldest served
    with pytest.raises(FatalError, match="same 3 requests"):
        walk.advance("61.71", stamps, ["9", "8", "7"], cap=3)  # the window did not narrow the answer
    walk = Walk.begin(now, days=90, floor=now - timedelta(days=2), stop_after_empty=4)
    walk.advance("61.71", list(reversed(stamps)), ["7", "8", "9"], cap=3)  # oldest first: halve
    assert len(walk.pending) == 2
    walk.advance("61.71", [], [], cap=3)
    walk.advance("61.71", stamps[:1], ["9"], cap=3)
    assert walk.done  # the floor is reached
