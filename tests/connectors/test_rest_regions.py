"""REST regions with different paging, order, auth and words sync to their ground truth."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from hub.connectors.registry import RegistryError, parse_registry
from hub.domain.sla import ServiceLevels
from hub.simulators.habits import RestHabits
from hub.simulators.store import iso
from hub.store.sync_models import RunStatus, SyncRun
from hub.sync.runs import PullRun
from tests.connectors.simulated import SECRETS, RestRegion, national

REGIONS = {
    "page-oldest-header": RestHabits(paging="page", order="oldest", auth="header"),
    "cursor-newest-bearer": RestHabits(paging="cursor", order="newest", auth="bearer", flags="ya-tidak", privacy="word",
                                       dialect="aduan"),
    "link-oldest-basic": RestHabits(paging="link", order="oldest", auth="basic", flags="true-false", privacy="flag"),
    "offset-newest-query": RestHabits(paging="offset", order="newest", auth="query", flags="1-0", privacy="flag"),
    "none-newest-header": RestHabits(paging="none", order="newest", auth="header", flags="ya-tidak"),
}


async def pull(engine, region: RestRegion, *, full: bool = False):
    async with region.client() as client:
        return await PullRun(engine, region.config(), levels=ServiceLevels(), client=client, full=full).execute()


@pytest.mark.parametrize("name", list(REGIONS))
async def test_full_then_incremental_sync_equals_the_ground_truth(engine, name):
    region = RestRegion(REGIONS[name])
    report = await pull(engine, region, full=True)
    assert report.status is RunStatus.SUCCEEDED, report.error
    if region.habits.paging != "none":
        assert report.pages > 30 // 7  # really paged
    want = await region.expected()
    assert len(want) == 30
    assert {v[3] for v in want.values()} >= ({"ANONYMOUS", "PUBLIC"} | ({"CONFIDENTIAL"} if region.habits.privacy != "none" else set()))
    assert await national(engine, "rest:19.71") == want

    await region.tick(15)  # new complaints, status changes and follow-ups in the region
    report = await pull(engine, region)
    assert report.status is RunStatus.SUCCEEDED, report.error
    assert report.created + report.updated > 0
    assert await national(engine, "rest:19.71") == await region.expected()


async def test_a_newest_first_app_declared_oldest_first_is_stopped_with_a_clear_error(engine):
    region = RestRegion(RestHabits(paging="page", order="newest"), options={"order": "oldest"})
    report = await pull(engine, region, full=True)
    assert report.status is RunStatus.FAILED
    assert 'lists records newest first' in report.error and 'set order = "newest"' in report.error
    assert "region 19.71" in report.error


async def test_an_oldest_first_app_declared_newest_first_is_stopped_too(engine):
    region = RestRegion(RestHabits(paging="offset", order="oldest"), options={"order": "newest"})
    report = await pull(engine, region, full=True)
    assert report.status is RunStatus.FAILED
    assert 'lists records oldest first' in report.error


async def test_an_app_that_ignores_the_paging_parameters_fails_the_run_instead_of_looping(engine):
    # The app answers every matching record at once; declared as page-numbered, every page repeats the first.
    region = RestRegion(RestHabits(paging="none", order="newest"), options={"paging": "page", "total_pages_path": None})
    report = await pull(engine, region, full=True)
    assert report.status is RunStatus.FAILED
    assert "repeats the previous page" in report.error
    assert report.pages == 1  # stopped at the first repeat; the first page was applied
    assert len(region.requests) == 2
    async with engine.connect() as connection:
        row = (await connection.execute(select(SyncRun.status, SyncRun.error))).one()
    assert row.status is RunStatus.FAILED and row.error == report.error


async def test_a_run_still_offered_pages_past_its_bound_fails(engine):
    region = RestRegion(RestHabits(paging="cursor"), complaints=30, page_size=3)
    async with region.client() as client:
        config = region.config(max_pages_per_run=4)
        report = await PullRun(engine, config, levels=ServiceLevels(), client=client, full=True).execute()
    assert report.status is RunStatus.FAILED
    assert report.pages == 4 and "after 4 pages (max_pages_per_run)" in report.error
    assert len(region.requests) == 4


async def test_credentials_sent_another_way_than_the_app_takes_fail_the_run(engine):
    region = RestRegion(RestHabits(auth="bearer"))
    async with region.client() as client:
        config = region.config()
        config.options["auth"] = "header"  # the key sent the wrong way is refused like a wrong key
        report = await PullRun(engine, config, levels=ServiceLevels(), client=client, full=True).execute()
    assert report.status is RunStatus.FAILED
    assert "401" in report.error


def test_the_region_check_asks_for_the_credentials_the_declared_auth_needs():
    entry = RestRegion(RestHabits(auth="basic"), complaints=0).entry()
    entry["credentials"] = {"api_key": "HUB_TEST_REST_KEY"}
    with pytest.raises(RegistryError) as raised:
        parse_registry({"regions": [entry]}, environ=SECRETS)
    assert "region 19.71: credentials.username: required by the rest connector" in raised.value.problems
    assert "region 19.71: credentials.password: required by the rest connector" in raised.value.problems


async def test_a_region_can_mark_a_complaint_confidential_later_but_never_expose_one(engine):
    region = RestRegion(RestHabits(privacy="word"))
    assert (await pull(engine, region, full=True)).status is RunStatus.SUCCEEDED
    store = region.app.state.simulator.store
    public = next(c for c in store.all() if not c.confidential and not c.reporter.get("anonim"))
    public.confidential, public.updated_at = True, iso(datetime(2026, 10, 1, 12, tzinfo=UTC))
    store.save(public)
    assert (await pull(engine, region)).status is RunStatus.SUCCEEDED
    assert (await national(engine, "rest:19.71"))[str(public.id)][3] == "CONFIDENTIAL"

    region.habits = RestHabits(privacy="none")  # the app stops marking rahasia: its records read as ordinary
    await region.admin("PUT", "/_admin/habits", json={"privacy": "none"})
    public.updated_at = iso(datetime(2026, 10, 1, 13, tzinfo=UTC))
    store.save(public)
    report = await pull(engine, region)
    assert report.status is RunStatus.SUCCEEDED and report.updated >= 1
    assert (await national(engine, "rest:19.71"))[str(public.id)][3] == "CONFIDENTIAL"


async def test_an_app_ignoring_the_since_filter_is_named_and_one_without_it_is_read_whole(engine):
    ignored = RestRegion(RestHabits(), options={"since_param": "sejak"})  # a parameter the app does not know
    report = await pull(engine, ignored, full=True)
    assert report.status is RunStatus.FAILED
    assert "answered records changed before sejak; the app ignores that filter" in report.error

    without = RestRegion(RestHabits(), options={"since_param": ""})
    report = await pull(engine, without, full=True)
    assert report.status is RunStatus.SUCCEEDED, report.error
    await without.tick(6)
    report = await pull(engine, without)
    assert report.status is RunStatus.SUCCEEDED and report.seen >= 30
    assert await national(engine, "rest:19.71") == await without.expected()
