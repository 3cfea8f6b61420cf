"""The PostgreSQL pool: connections a busy server returns are reused as they are; one that
rested and was dropped by the server meanwhile is replaced before anyone uses it."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from hub.store import database
from hub.store.database import create_engine


async def test_a_dropped_idle_connection_is_replaced_not_handed_out(database_url, monkeypatch):
    if not database_url.startswith("postgresql"):
        pytest.skip("the pool is PostgreSQL's")
    monkeypatch.setattr(database, "IDLE_BEFORE_PING", 0.2)
    engine = create_engine(database_url, pool_size=1, max_overflow=0)
    other = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            first = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        async with engine.connect() as connection:  # back a moment ago: reused
            assert (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one() == first
        async with other.connect() as connection:  # the server drops it while it rests
            await connection.execute(text(f"SELECT pg_terminate_backend({first})"))
        await asyncio.sleep(0.4)
        async with engine.connect() as connection:
            again = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        assert again != first
    finally:
        await engine.dispose()
        await other.dispose()
