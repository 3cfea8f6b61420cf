"""Searching complaints as a citizen or an officer types: words in any order, accents and typos forgiven."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from hub.domain.vocabulary import Role
from hub.store.models import Complaint
from tests.api.builders import COMPLAINTS_QUERY, add_complaint
from tests.hubclient import hub_client


async def _found(hub, text: str) -> set[str]:
    data = await hub.query(COMPLAINTS_QUERY, {"filter": {"text": text}}, token=hub.token(Role.NATIONAL_ADMIN))
    return {edge["node"]["trackingId"] for edge in data["complaints"]["edges"]}


async def test_words_in_any_order_find_the_complaint(engine, database_url):
    road = await add_complaint(engine, title="Jalan rusak parah di Jl. Tanjungpura",
                               body="Aspal berlubang sejak musim hujan", region_code="61.71")
    await add_complaint(engine, title="Sampah menumpuk di pasar", body="Bau sampai ke jalan", region_code="61.71")
    async with hub_client(database_url, schedule=False) as hub:
        assert await _found(hub, "rusak jalan") == {road.tracking_id}
        assert await _found(hub, "berlubang aspal rusak") == {road.tracking_id}
        assert await _found(hub, "RUSAK  parah!") == {road.tracking_id}


async def test_a_misspelt_word_finds_the_complaint_on_postgresql(engine, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("typo tolerance is pg_trgm's; SQLite's FTS5 matches words and their beginnings only")
    road = await add_complaint(engine, title="Jalan rusak parah di Jl. Tanjungpura", body="Aspal berlubang",
                               region_code="61.71")
    rubbish = await add_complaint(engine, title="Sampah menumpuk di pasar", body="Bau busuk", region_code="61.71")
    async with hub_client(database_url, schedule=False) as hub:
        assert await _found(hub, "Tanjungpuar") == {road.tracking_id}  # letters swapped
        assert await _found(hub, "sampha") == {rubbish.tracking_id}
        assert await _found(hub, "berlubng") == {road.tracking_id}  # a letter dropped


async def test_a_misspelt_word_finds_words_written_after_the_hub_started_on_postgresql(engine, database_url):
    """Misspellings map to the words complaints hold, kept as complaints are written and edited."""
    if not database_url.startswith("postgresql"):
        pytest.skip("typo tolerance is pg_trgm's; SQLite's FTS5 matches words and their beginnings only")
    async with hub_client(database_url, schedule=False) as hub:
        assert await _found(hub, "Tanjungpuar") == set()
        road = await add_complaint(engine, title="Jalan rusak di Tanjungpura", body="Aspal berlubang",
                                   region_code="61.71")
        assert await _found(hub, "Tanjungpuar") == {road.tracking_id}
        async with engine.begin() as connection:
            await connection.execute(update(Complaint).where(Complaint.id == road.id)
                                     .values(title="Jalan rusak di Sungai Jawi"))
        assert await _found(hub, "Sungia jawi") == {road.tracking_id}
        assert await _found(hub, "Tanjungpuar") == set()  # the word no complaint holds any more finds nothing
