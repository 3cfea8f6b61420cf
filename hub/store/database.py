"""Async engine and sessions for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

#: PostgreSQL's SQLSTATEs for a transaction aborted only because it met another one:
#: deadlock_detected and serialization_failure. Running the transaction again is the remedy.
WRITE_CONFLICTS = frozenset({"40P01", "40001"})


def is_write_conflict(error: BaseException) -> bool:
    """Whether ``error`` aborted a transaction only because a concurrent one held what it
    needed (a deadlock, a serialization failure): the same transaction may simply run again."""
    causes = (error.orig, getattr(error.orig, "__cause__", None)) if isinstance(error, DBAPIError) else (error,)
    for cause in causes:  # the driver's own error, when a bulk write went to the driver directly
        if getattr(cause, "sqlstate", None) in WRITE_CONFLICTS or getattr(cause, "pgcode", None) in WRITE_CONFLICTS:
            return True
    return False


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_engine(url: str, *, pool_size: int = 10, max_overflow: int = 20, **kwargs: Any) -> AsyncEngine:
    """An engine tuned for the backend.

    SQLite gets WAL, foreign keys and a busy timeout so that the API, the sync
    and the CLI can share one file; PostgreSQL gets a pool (pinged when idle) of
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
    kwargs.setdefault("pool_size", pool_size)
    kwargs.setdefault("max_overflow", max_overflow)
    if "pool_pre_ping" in kwargs:
        return create_async_engine(url, **kwargs)
    engine = create_async_engine(url, **kwargs)
    _ping_when_idle(engine)
    return engine


IDLE_BEFORE_PING = 5.0  # seconds a pooled connection may rest before it is checked again


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Pre-ping, only for connections that rested: a connection back in the pool a moment ago
    (a busy server's case) is handed out as it is, saving a round trip per request; one that
    rested longer is pinged first and, if the server dropped it, replaced (the pool retries).
    A connection dropped within seconds of its last use (a database restart under load) fails
    that one request; SQLAlchemy then sees the disconnect and renews the whole pool."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _returned(dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned < IDLE_BEFORE_PING:
            return
        try:
            dbapi_connection.ping()
        except Exception as exc:  # gone: the pool drops it and checks out another
            raise DisconnectionError(str(exc)) from exc


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
