"""Async engine and sessions for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, pool_size: int = 10, max_overflow: int = 20, **kwargs: Any) -> AsyncEngine:
    """An engine tuned for the backend.

    SQLite gets WAL, foreign keys and a busy timeout so that the API, the sync
    and the CLI can share one file; PostgreSQL gets a pre-pinged pool of
    ``pool_size`` connections plus ``max_overflow`` at peaks (per process: see
    docs/deploy.md for sizing against ``max_connections``).
    """
    if is_sqlite(url):
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            if ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    # misspelt words in searches (hub.store.search): pg_trgm word similarity from 0.5 rather than 0.6
    server_settings = kwargs.setdefault("connect_args", {}).setdefault("server_settings", {})
    server_settings.setdefault("pg_trgm.word_similarity_threshold", "0.5")
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", pool_size)
    kwargs.setdefault("max_overflow", max_overflow)
    return create_async_engine(url, **kwargs)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for reads only. On PostgreSQL they run in autocommit: no BEGIN and
    ROLLBACK around a request's statements (at READ COMMITTED each statement
    takes its own snapshot anyway); anything that writes belongs in a session
    of :func:`session_factory`, in a transaction."""
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="AUTOCOMMIT")
    return async_sessionmaker(engine, expire_on_commit=False)
