"""A write shows in the statistics at once, whichever path made it (the tallies move in its transaction)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from hub.domain.access import NATIONAL
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import Role
from hub.store import stats_tally
from hub.store.complaint_queries import ComplaintFilter
from hub.store.database import session_factory
from hub.store.models import Complaint
from hub.store.stats_queries import GroupBy, group_stats
from hub.sync.runs import PullRun
from tests.e2e.regional import regions
from tests.hubclient import hub_client
from tests.mutations.helpers import (
    DISPOSITION,
    FOLLOW_UP,
    MERGE,
    RATE,
    RESOLVE,
    VERIFY,
    add_agency,
    global_id,
    run,
    submit,
)

BY_STATUS = """query { stats(groupBy: STATUS) {
  computedAt groups { key total } overall { total completed followUpsDue followUpsOnTime rated averageRating } } }"""


async def _by_status(hub, token: str) -> tuple[dict[str, int], dict]:
    stats = (await hub.query(BY_STATUS, token=token))["stats"]
    return {g["key"]: g["total"] for g in stats["groups"] if g["total"]}, stats["overall"]


async def test_each_step_of_a_complaint_through_graphql_shows_in_the_statistics_at_once(engine, database_url):
    agency = await add_agency(engine)
    async with hub_client(database_url, schedule=False) as hub:
        admin = hub.token(Role.REGION_ADMIN, region_codes=["19.71"], subject="admin.pangkalpinang")
        national = hub.token(Role.NATIONAL_ADMIN, subject="admin.nasional")  # national figures come from tallies
        officer = hub.token(Role.AGENCY_OFFICER, agency_id=agency, subject="petugas.pupr")
        assert (await _by_status(hub, national))[0] == {}
        filed = await submit(hub)
        ref = filed["trackingId"]
        assert (await _by_status(hub, national))[0] == {"SUBMITTED": 1}
        await run(hub, VERIFY, admin, id=ref)
        assert (await _by_status(hub, national))[0] == {"VERIFIED": 1}
        await run(hub, DISPOSITION, admin, id=ref, agency=global_id("Agency", agency))
        await run(hub, FOLLOW_UP, officer, id=ref, text="Tim sudah ke lokasi")
        groups, overall = await _by_status(hub, national)
        assert groups == {"IN_PROGRESS": 1}
        assert (overall["followUpsDue"], overall["followUpsOnTime"]) == (1, 1)
        await run(hub, RESOLVE, officer, id=ref)
        groups, overall = await _by_status(hub, national)
        assert groups == {"RESOLVED": 1} and overall["completed"] == 1
        reporter = hub.token(Role.REPORTER, reporter_id=await _reporter(engine, ref), subject="siti")
        await run(hub, RATE, reporter, id=ref, stars=4, comment="Cepat")
        groups, overall = await _by_status(hub, national)
        assert groups == {"CLOSED": 1} and overall["averageRating"] == 4.0  # a rating closes the complaint
        duplicate = await submit(hub)
        assert (await _by_status(hub, national))[0] == {"CLOSED": 1, "SUBMITTED": 1}
        answer = await run(hub, MERGE, admin, keep=ref, dup=duplicate["trackingId"])
        assert answer["__typename"] == "ComplaintPayload", answer
        groups, overall = await _by_status(hub, national)
        assert groups == {"CLOSED": 1} and overall["total"] == 1  # merged duplicates are not counted


async def _reporter(engine, tracking_id: str) -> int:
    async with session_factory(engine)() as session:
        return await session.scalar(select(Complaint.reporter_id).where(Complaint.tracking_id == tracking_id))


async def _served_and_counted(engine) -> int:
    """The national total from the tallies, checked against the live figures and a count of the record."""
    now = datetime.now(UTC)
    async with session_factory(engine)() as session:
        counted = await session.scalar(select(func.count()).select_from(Complaint).where(
            Complaint.merged_into_id.is_(None)))
        for group_by in (GroupBy.STATUS, GroupBy.REGION):
            assert stats_tally.plan(NATIONAL, ComplaintFilter(), group_by.value) is not None
            served = await group_stats(session, NATIONAL, where=ComplaintFilter(), group_by=group_by, now=now,
                                       percentiles=False)
            live = await group_stats(session, NATIONAL, where=ComplaintFilter(), group_by=group_by, now=now,
                                     percentiles=False, live=True)
            assert served == live
            assert served.overall.total == counted
    return counted


async def test_a_pull_from_the_rest_simulator_shows_in_the_statistics_at_once(engine, monkeypatch):
    with regions(monkeypatch, complaints=30, kinds=("rest",)) as (found, registry):
        pull = lambda: PullRun(engine, registry.regions[0], levels=ServiceLevels()).execute()  # noqa: E731
        await pull()
        assert await _served_and_counted(engine) > 0
        found["rest"].tick(3)  # the region moves on: status changes, follow-ups
        await pull()
        await _served_and_counted(engine)
