"""Statistics served from the tallies equal the live computation, for every role, grouping and filter.

The record is seeded (open and settled deadlines around "now", every
privacy, agencies), then written to along every path the triggers must follow:
ORM updates, a bulk UPDATE, a multi-row INSERT ... ON CONFLICT (the bulk
backfill's upsert), merges and deletes. Each question is then asked twice:
answered from the tallies and computed live from the complaints through
``visible_clause``.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from hub.domain.access import NATIONAL, PUBLIC, Viewer
from hub.domain.vocabulary import Channel, Role, Status
from hub.store import stats_tally
from hub.store.complaint_queries import ComplaintFilter
from hub.store.database import session_factory
from hub.store.models import Complaint, ComplaintSource, TimelineEvent
from hub.store.seeding import seed_complaints
from hub.store.stats_queries import GroupBy, group_stats

NOW = datetime.now(UTC).replace(microsecond=0)
WIB = timezone(timedelta(hours=7))
THIS_MONTH = datetime(NOW.astimezone(WIB).year, NOW.astimezone(WIB).month, 1, tzinfo=WIB)
TWO_MONTHS_AGO = (THIS_MONTH - timedelta(days=40)).replace(day=1)


async def _write_along_every_path(engine) -> int:
    """Change the seeded record the ways the hub does; return an agency that has complaints."""
    factory = session_factory(engine)
    async with factory() as session, session.begin():
        rows = list((await session.scalars(select(Complaint).order_by(Complaint.id))).all())
        rows[0].status, rows[0].resolved_at = Status.RESOLVED, NOW - timedelta(hours=1)  # ORM status change
        rows[1].region_code = "61.71"  # a transfer
        rows[2].merged_into_id = rows[3].id  # a merge
        rows[4].rating = 2
        agency = next(row.agency_id for row in rows if row.agency_id is not None)
        erased = rows[5].id
    async with factory() as session, session.begin():  # an erasure
        for table in (ComplaintSource, TimelineEvent):
            await session.execute(delete(table).where(table.complaint_id == erased))
        await session.execute(delete(Complaint).where(Complaint.id == erased))
    async with factory() as session, session.begin():  # one statement over many rows
        await session.execute(update(Complaint).where(Complaint.id % 9 == 0, Complaint.merged_into_id.is_(None))
                              .values(status=Status.POSTPONED, postponed_at=NOW - timedelta(days=1)))
    async with factory() as session, session.begin():  # the bulk backfill's multi-row upsert
        existing = (await session.execute(select(Complaint.__table__).order_by(Complaint.id).limit(40))).mappings().all()
        changed = [{**row, "id": None, "status": Status.CLOSED, "closed_at": NOW - timedelta(minutes=5),
                    "channel": Channel.REGIONAL_APP} for row in existing]
        for row in changed:
            del row["id"]
        fresh = dict(changed[0], tracking_id="LPR-2019-0999999", created_at=NOW - timedelta(hours=3),
                     verify_due=NOW - timedelta(minutes=30), verified_at=None, closed_at=None,
                     status=Status.SUBMITTED, resolved_at=None, follow_up_due=None, first_follow_up_at=None)
        dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(Complaint).values([*changed, fresh])
        statement = statement.on_conflict_do_update(
            index_elements=[Complaint.tracking_id],
            set_={"status": statement.excluded.status, "closed_at": statement.excluded.closed_at,
                  "channel": statement.excluded.channel})
        await session.execute(statement)
    return agency


async def _settle_one_long_past_deadline(engine) -> None:
    """Verify a complaint whose verification fell due long ago: it leaves a folded row of the open tallies."""
    async with session_factory(engine)() as session, session.begin():
        complaint = await session.scalar(select(Complaint).where(
            Complaint.verified_at.is_(None), Complaint.closed_at.is_(None),
            Complaint.verify_due < NOW - timedelta(days=3)).limit(1))
        assert complaint is not None
        complaint.verified_at = NOW


def _viewers(agency: int) -> dict[str, Viewer]:
    return {
        "national": NATIONAL,
        "public": PUBLIC,
        "province admin": Viewer(role=Role.REGION_ADMIN, region_codes=frozenset({"35"})),
        "city admin": Viewer(role=Role.REGION_ADMIN, region_codes=frozenset({"61.71", "19.71"})),
        "agency officer": Viewer(role=Role.AGENCY_OFFICER, agency_id=agency),
    }


FILTERS = {
    "none": ComplaintFilter(),
    "from a UTC midnight": ComplaintFilter(created_from=datetime(NOW.year, NOW.month, 1, tzinfo=UTC)
                                           - timedelta(days=60)),
    "a WIB month": ComplaintFilter(created_from=TWO_MONTHS_AGO, created_to=THIS_MONTH),
    "between two moments": ComplaintFilter(created_from=NOW - timedelta(days=40, hours=5),
                                           created_to=NOW - timedelta(days=3, minutes=17)),
    "province": ComplaintFilter(province_code="35"),
    "regions": ComplaintFilter(region_codes=["35", "61.71"]),
    "statuses": ComplaintFilter(statuses=[Status.SUBMITTED, Status.POSTPONED, Status.RESOLVED]),
    "categories": ComplaintFilter(category_codes=["ROADS", "HEALTH"]),
    "channels": ComplaintFilter(channels=[Channel.WEB, Channel.SMS]),
}
# questions the tallies must serve (the others may be computed live, which is equal by definition)
SERVED = {("national", "PROVINCE"), ("public", "MONTH"), ("public", "REGION"), ("province admin", "REGION"),
          ("agency officer", "MONTH")}


def _figures(result) -> list[dict]:
    groups = [*result.groups, result.overall]
    return [{**asdict(g), "average_rating": round(g.average_rating, 9) if g.average_rating is not None else None}
            for g in groups]


@pytest.mark.parametrize("name", list(FILTERS))
async def test_tallies_give_the_live_figures_for_every_role_and_grouping(engine, name):
    await seed_complaints(engine, count=300, seed=11, now=NOW - timedelta(minutes=1),
                          region_codes=["35.78", "35.73", "61.71", "19.71", "11.01"])
    agency = await _write_along_every_path(engine)
    where = FILTERS[name]
    if name != "none":  # "none" is asked before the fold, the others after it
        await stats_tally.roll_up_open(engine, today=NOW.date())
        async with session_factory(engine)() as session:
            folded = stats_tally.TALLIES[0].open
            assert await session.scalar(select(func.count()).select_from(folded)
                                        .where(folded.c.due_on == stats_tally.LONG_PAST)) > 0
        await _settle_one_long_past_deadline(engine)
    served_by_tallies = set()
    async with session_factory(engine)() as session:
        for role, viewer in _viewers(agency).items():
            for group_by in GroupBy:
                if stats_tally.plan(viewer, where, group_by.value) is None:
                    continue
                served_by_tallies.add((role, group_by.value))
                served = await group_stats(session, viewer, where=where, group_by=group_by, now=NOW, percentiles=False)
                live = await group_stats(session, viewer, where=where, group_by=group_by, now=NOW, percentiles=False,
                                         live=True)
                assert _figures(served) == _figures(live), (role, group_by)
    if name in ("none", "a WIB month"):
        assert SERVED <= served_by_tallies
        assert {(role, g.value) for role in ("national", "public") for g in GroupBy} <= served_by_tallies


async def test_questions_the_tallies_cannot_answer_are_computed_live(engine):
    reporter = Viewer(role=Role.REPORTER, reporter_id=1)
    assert stats_tally.plan(reporter, ComplaintFilter(), "PROVINCE") is None  # their own complaints
    assert stats_tally.plan(NATIONAL, ComplaintFilter(text="jalan"), "PROVINCE") is None
    assert stats_tally.plan(NATIONAL, ComplaintFilter(include_merged=True), "PROVINCE") is None
    assert stats_tally.plan(NATIONAL, ComplaintFilter(created_from=NOW - timedelta(hours=20),
                                                      created_to=NOW), "PROVINCE") is None  # no whole day
