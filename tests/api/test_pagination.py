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
