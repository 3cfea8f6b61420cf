"""Walking complaint pages with first/after: every row once, in order, even while rows arrive."""

from __future__ import annotations

from hub.domain.vocabulary import Privacy, Role
from tests.api.builders import COMPLAINTS_QUERY, T0, add_complaint, hours, ids
from tests.hubclient import hub_client


async def walk(hub, token, order: str, first: int, between=None) -> list[str]:
    seen, after, page = [], None, 0
    while True:
        data = await hub.query(COMPLAINTS_QUERY, {"first": first, "after": after, "orderBy": order}, token=token)
        conn = data["complaints"]
        seen += ids(data)
        assert conn["pageInfo"]["hasPreviousPage"] is (after is not None)
        if conn["edges"]:
            assert conn["pageInfo"]["endCursor"] == conn["edges"][-1]["cursor"]
        if not conn["pageInfo"]["hasNextPage"]:
            return seen
        after, page = conn["pageInfo"]["endCursor"], page + 1
        if between:
            await between(page)


async def test_every_visible_complaint_once_in_order(engine, database_url):
    made = []
    for i in range(11):  # pairs share a created_at, so the id breaks ties
        c = await add_complaint(engine, title=f"Laporan {i}", created_at=T0 + hours(i // 2),
                                privacy=Privacy.CONFIDENTIAL if i == 4 else Privacy.PUBLIC)
        made.append(c)
    newest_first = [c.tracking_id for c in sorted(made, key=lambda c: (c.created_at, c.id), reverse=True)]
    async with hub_client(database_url) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)
        for first in (1, 3, 11, 20):
            assert await walk(hub, national, "CREATED_AT_DESC", first) == newest_first
            assert await walk(hub, national, "CREATED_AT_ASC", first) == newest_first[::-1]
        public = [t for t in newest_first if t != made[4].tracking_id]
        assert await walk(hub, None, "CREATED_AT_DESC", 4) == public

        data = await hub.query(COMPLAINTS_QUERY, {"first": 4}, token=national)
        assert data["complaints"]["pageInfo"]["hasNextPage"] is True and data["complaints"]["totalCount"] == 11
        last = await hub.query(COMPLAINTS_QUERY, {"first": 4, "after": data["complaints"]["edges"][-2]["cursor"]},
                               token=national)
        assert ids(last) == newest_first[3:7] and last["complaints"]["totalCount"] == 11
        exact = await hub.query(COMPLAINTS_QUERY, {"first": 11}, token=national)
        assert exact["complaints"]["pageInfo"]["hasNextPage"] is False
        assert len(exact["complaints"]["edges"]) == 11


async def test_inserts_between_pages_cause_no_skips_or_repeats(engine, database_url):
    existing = [await add_complaint(engine, title=f"Lama {i}", created_at=T0 + hours(i)) for i in range(9)]
    for order in ("CREATED_AT_DESC", "CREATED_AT_ASC"):
        async with hub_client(database_url) as hub:
            national = hub.token(Role.NATIONAL_ADMIN)
            known = await walk(hub, national, order, 9)
            added: list[str] = []

            async def insert(page: int) -> None:
                # one newer than everything, one older, one at the same instant as a row already read
                for at in (T0 + hours(100 + page), T0 - hours(100 + page), existing[4].created_at):
                    added.append((await add_complaint(engine, title=f"Baru {order} {page}", created_at=at)).tracking_id)

            seen = await walk(hub, national, order, 2, between=insert)
            assert len(seen) == len(set(seen))
            old = [t for t in seen if t in known]
            assert old == known  # every row that existed, once, in order
            assert set(seen) - set(known) <= set(added)


BACKWARD = """query($last: Int, $before: String, $orderBy: ComplaintOrder = CREATED_AT_DESC, $count: Boolean = false) {
  complaints(last: $last, before: $before, orderBy: $orderBy) {
    totalCount @include(if: $count)
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { trackingId } } } }"""


async def walk_back(hub, token, order: str, last: int, *, count: bool) -> list[str]:
    """Every complaint from the end of the ordering back to its start, a page of ``last`` at a time."""
    seen, before = [], None
    while True:
        conn = (await hub.query(BACKWARD, {"last": last, "before": before, "orderBy": order, "count": count},
                                token=token))["complaints"]
        seen = [edge["node"]["trackingId"] for edge in conn["edges"]] + seen
        assert conn["pageInfo"]["hasNextPage"] is (before is not None)
        if conn["edges"]:
            assert conn["pageInfo"]["startCursor"] == conn["edges"][0]["cursor"]
        if not conn["pageInfo"]["hasPreviousPage"]:
            return seen
        before = conn["pageInfo"]["startCursor"]


async def test_pages_walked_backward_with_last_before_hold_every_complaint_once_in_order(engine, database_url):
    made = [await add_complaint(engine, title=f"Laporan {i}", created_at=T0 + hours(i // 2)) for i in range(7)]
    newest_first = [c.tracking_id for c in sorted(made, key=lambda c: (c.created_at, c.id), reverse=True)]
    for planned in (True, False):  # the planned read path and field-by-field execution agree
        async with hub_client(database_url, planned_reads=planned) as hub:
            national = hub.token(Role.NATIONAL_ADMIN)
            for last in (1, 3, 7, 20):
                for count in (True, False):
                    assert await walk_back(hub, national, "CREATED_AT_DESC", last, count=count) == newest_first
                assert await walk_back(hub, national, "CREATED_AT_ASC", last, count=False) == newest_first[::-1]
            forward = await hub.query(COMPLAINTS_QUERY, {"first": 3}, token=national)
            back = await hub.query(BACKWARD, {"last": 3, "before": forward["complaints"]["edges"][-1]["cursor"]},
                                   token=national)
            assert [e["node"]["trackingId"] for e in back["complaints"]["edges"]] == newest_first[:2]
            errors = await hub.errors(BACKWARD, {"last": 0}, token=national)
            assert errors[0]["extensions"]["field"] == "last"
