"""A page's lookups by a list of keys (``one_of``) find exactly the rows ``IN`` finds, on either database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from hub.store.in_list import one_of
from hub.store.models import Region


async def test_a_lookup_by_a_list_finds_the_rows_in_finds_and_none_for_an_empty_list(engine):
    async with async_sessionmaker(engine)() as session:
        wanted = ["19.71", "31.71", "99.99"]  # Pangkal Pinang, Jakarta Pusat, and a code no region has
        found = set(await session.scalars(select(Region.code).where(one_of(session, Region.code, wanted))))
        assert found == {"19.71", "31.71"}
        assert found == set(await session.scalars(select(Region.code).where(Region.code.in_(wanted))))

        assert list(await session.scalars(select(Region.code).where(one_of(session, Region.code, [])))) == []

        names = [name.lower() for name in await session.scalars(select(Region.name).where(Region.code == "19.71"))]
        by_name = await session.scalars(select(Region.code).where(one_of(session, func.lower(Region.name), names)))
        assert "19.71" in set(by_name)


async def test_a_list_of_more_keys_than_a_statement_may_bind_is_still_one_lookup(engine):
    async with async_sessionmaker(engine)() as session:
        if session.get_bind().dialect.name != "postgresql":
            pytest.skip("SQLite keeps IN, and no page asks this many")
        codes = ["19.71", *(f"x{n}" for n in range(40_000))]  # asyncpg binds at most 32,767 parameters
        assert list(await session.scalars(select(Region.code).where(one_of(session, Region.code, codes)))) == ["19.71"]
