"""Shared fixtures: a migrated store on SQLite always, and on PostgreSQL when
``HUB_TEST_POSTGRES_URL`` is set; an in-process hub driven through httpx.

Each test gets an empty national record (regions and categories present).
SQLite tests copy a migrated template file; PostgreSQL tests migrate the
database once per run and truncate the record between tests.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.store.database import create_engine
from hub.store.migrate import upgrade
from hub.store.models import Base

POSTGRES_URL = os.environ.get("HUB_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])

# Tables that hold the record itself; reference data (regions, categories) stays.
REFERENCE_TABLES = {"regions", "categories", "alembic_version"}


async def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await upgrade(engine)
    await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "hub.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")

    async def run() -> None:
        await upgrade(engine)
        async with engine.begin() as connection:
            await connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        await engine.dispose()

    asyncio.run(run())
    return path


@pytest.fixture(scope="session")
def postgres_ready() -> bool:
    if not POSTGRES_URL:
        return False
    asyncio.run(_reset_postgres(POSTGRES_URL))
    return True


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "hub.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    request.getfixturevalue("postgres_ready")
    assert POSTGRES_URL is not None
    yield POSTGRES_URL
    asyncio.run(_truncate_postgres(POSTGRES_URL))


async def _truncate_postgres(url: str) -> None:
    engine = create_engine(url)
    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in REFERENCE_TABLES]
    async with engine.begin() as connection:
        existing = set((await connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname='public'"))).scalars())
        names = ", ".join(f'"{name}"' for name in tables + sorted(existing - REFERENCE_TABLES - set(tables)) if name in existing)
        if names:
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    await engine.dispose()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()
