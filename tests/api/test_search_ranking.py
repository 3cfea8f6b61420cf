"""Search results come best match first: title before description, all words before some, typos forgiven."""

from __future__ import annotations

import pytest

from hub.domain.vocabulary import Privacy, Role
from hub.store import search
from hub.store.pagination import Cursor
from tests.api.builders import T0, add_complaint, hours
from tests.hubclient import hub_client

SEARCH = """
query($filter: ComplaintFilter, $first: Int = 50, $after: String, $orderBy: ComplaintOrder) {
  complaints(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { trackingId } }
  }
}
"""


async def _search(hub, text: str, *, order: str | None = None, token=None, first: int = 50, after=None) -> dict:
    variables = {"filter": {"text": text}, "orderBy": order, "first": first, "after": after}
    return (await hub.query(SEARCH, variables, token=token))["complaints"]


def _tracking(page: dict) -> list[str]:
    return [edge["node"]["trackingId"] for edge in page["edges"]]


async def test_a_title_holding_every_word_ranks_above_partial_and_description_matches(engine, database_url):
    # the best match is the oldest, so newest-first would list it last
    title = await add_complaint(engine, title="Jalan rusak di Jl. Tanjungpura", body="Aspal berlubang sejak musim hujan",
                                created_at=T0)
    one_word = await add_complaint(engine, title="Jalan berlubang di depan sekolah", body="Sudah rusak sejak Januari",
                                   created_at=T0 + hours(1))
    described = await add_complaint(engine, title="Sampah menumpuk di pasar", body="Jalan ke pasar rusak dan bau",
                                    created_at=T0 + hours(2))
    await add_complaint(engine, title="Lampu mati", body="Gelap sekali di malam hari", created_at=T0 + hours(3))
    best_first = [title.tracking_id, one_word.tracking_id, described.tracking_id]
    async with hub_client(database_url, schedule=False) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)
        ranked = await _search(hub, "rusak jalan", token=national)
        assert _tracking(ranked) == best_first and ranked["totalCount"] == 3
        assert _tracking(await _search(hub, "rusak jalan", order="RELEVANCE", token=national)) == best_first
        assert _tracking(await _search(hub, "rusak jalan", order="CREATED_AT_DESC", token=national)) == best_first[::-1]
        # without text, RELEVANCE ranks every complaint alike: newest first
        everything = (await hub.query(SEARCH, {"orderBy": "RELEVANCE"}, token=national))["complaints"]
        assert _tracking(everything)[1:] == best_first[::-1]


async def test_a_misspelt_word_ranks_the_nearest_title_first_on_postgresql(engine, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("typo tolerance is pg_trgm's; SQLite's FTS5 matches words and their beginnings only")
    street = await add_complaint(engine, title="Jalan rusak di Tanjungpura", body="Aspal terkelupas", created_at=T0)
    in_body = await add_complaint(engine, title="Lampu jalan mati", body="Di gang dekat Jl. Tanjungpura",
                                  created_at=T0 + hours(1))
    holes = await add_complaint(engine, title="Jalan berlubang besar", body="Motor sering jatuh", created_at=T0)
    holes_told = await add_complaint(engine, title="Jalan licin", body="Banyak yang berlubang juga",
                                     created_at=T0 + hours(1))
    async with hub_client(database_url, schedule=False) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)
        assert _tracking(await _search(hub, "Tanjungpuar", token=national)) == [street.tracking_id, in_body.tracking_id]
        assert _tracking(await _search(hub, "jalan berlubng", token=national)) == [holes.tracking_id,
                                                                                   holes_told.tracking_id]


async def test_relevance_pages_have_no_overlap_and_no_gap(engine, database_url):
    made = []
    for i in range(12):  # three levels of match; equal titles share created_at in pairs, so ids break ties
        title = ["Jalan rusak parah", "Jalan sempit", "Sampah di pasar"][i % 3]
        body = ["Aspal hilang", "Aspal rusak", "Dekat jalan yang rusak"][i % 3]
        made.append(await add_complaint(engine, title=title, body=body, created_at=T0 + hours(i // 6),
                                        privacy=Privacy.CONFIDENTIAL if i == 4 else Privacy.PUBLIC))
    async with hub_client(database_url, schedule=False) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)
        whole = await _search(hub, "jalan rusak", token=national)
        assert whole["totalCount"] == 12 and len(set(_tracking(whole))) == 12
        for first in (1, 2, 5, 11):
            walked, after = [], None
            while True:
                page = await _search(hub, "jalan rusak", token=national, first=first, after=after)
                assert page["totalCount"] == 12 and len(page["edges"]) <= first
                walked += _tracking(page)
                if not page["pageInfo"]["hasNextPage"]:
                    break
                after = page["pageInfo"]["endCursor"]
            assert walked == _tracking(whole)

        public = await _search(hub, "jalan rusak", first=5)
        rest = await _search(hub, "jalan rusak", first=50, after=public["pageInfo"]["endCursor"])
        seen = _tracking(public) + _tracking(rest)
        assert seen == [t for t in _tracking(whole) if t != made[4].tracking_id] and public["totalCount"] == 11

        errors = await hub.errors(SEARCH, {"filter": {"text": "jalan"}, "after": whole["edges"][0]["cursor"],
                                           "orderBy": "CREATED_AT_DESC"}, token=national)
        assert "made for ordering RELEVANCE" in errors[0]["message"]
        forged = Cursor(order="RELEVANCE", key=("best", T0.isoformat(), made[0].id)).encode()
        errors = await hub.errors(SEARCH, {"filter": {"text": "jalan"}, "after": forged}, token=national)
        assert "is not a cursor this API handed out" in errors[0]["message"]


async def test_confidential_complaints_stay_out_of_a_public_search(engine, database_url):
    secret = await add_complaint(engine, title="Pungutan liar di kantor camat", body="Pungli setiap hari",
                                 privacy=Privacy.CONFIDENTIAL, created_at=T0)
    open_ = await add_complaint(engine, title="Antrian di kantor camat", body="Ada pungutan liar juga",
                                created_at=T0 + hours(1))
    async with hub_client(database_url, schedule=False) as hub:
        public = await _search(hub, "pungutan liar")
        assert _tracking(public) == [open_.tracking_id] and public["totalCount"] == 1
        national = await _search(hub, "pungutan liar", token=hub.token(Role.NATIONAL_ADMIN))
        assert _tracking(national) == [secret.tracking_id, open_.tracking_id]


async def test_a_search_matching_more_than_can_be_ranked_ranks_its_newest_matches(engine, database_url, monkeypatch):
    monkeypatch.setattr(search, "RANKED_MATCHES", 3)  # 5,000 in service: a common word stays a bounded search
    oldest_best = await add_complaint(engine, title="Jalan rusak parah", body="Jalan rusak", created_at=T0)
    made = [await add_complaint(engine, title="Lampu mati" if i % 2 else "Jalan gelap", body="Dekat jalan",
                                created_at=T0 + hours(i + 1)) for i in range(4)]
    async with hub_client(database_url, schedule=False) as hub:
        national = hub.token(Role.NATIONAL_ADMIN)
        ranked = await _search(hub, "jalan", token=national)
        # the three newest matches, the one with the word in its title first; the oldest is past the bound
        assert _tracking(ranked) == [made[2].tracking_id, made[3].tracking_id, made[1].tracking_id]
        assert ranked["totalCount"] == 5 and oldest_best.tracking_id not in _tracking(ranked)
        first = await _search(hub, "jalan", token=national, first=2)
        rest = await _search(hub, "jalan", token=national, after=first["pageInfo"]["endCursor"])
        assert _tracking(first) + _tracking(rest) == _tracking(ranked) and not rest["pageInfo"]["hasNextPage"]
