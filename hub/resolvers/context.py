"""The per-request context every resolver reads: who asks, a database session,
the request's DataLoaders and the settings."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.domain.access import Viewer
from hub.settings import Settings

if TYPE_CHECKING:
    from hub.files.store import FileStore
    from hub.observability.metrics import HubMetrics
    from hub.sync.events import ChangeFeed
    from hub.sync.outbox import Dispatcher
    from hub.sync.scheduler import SyncScheduler

T = TypeVar("T")


@dataclass
class Context:
    viewer: Viewer
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    now: datetime
    request: Any = None
    response: Any = None
    sync: SyncScheduler | None = None  # when regions are connected
    dispatcher: Dispatcher | None = None  # delivers outbox rows; kicked after a mutation
    events: ChangeFeed | None = None  # change broadcasting for subscriptions
    metrics: HubMetrics | None = None
    files: FileStore | None = None  # where uploaded attachments are kept
    connection_params: dict[str, Any] | None = None  # graphql-transport-ws connection_init payload
    read_sessions: async_sessionmaker[AsyncSession] | None = None  # for read(); autocommit on PostgreSQL
    readings: set[Any] = field(default_factory=set)  # what staff read of reporters (hub.resolvers.access_log)
    _session: AsyncSession | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _loaders: Any = None

    @property
    def loaders(self) -> Any:
        if self._loaders is None:
            from hub.resolvers.loaders import Loaders

            self._loaders = Loaders(self)
        return self._loaders

    async def read(self, query: Callable[..., Awaitable[T]], /, *args: Any, **kwargs: Any) -> T:
        """Run a store query on the request's session.

        Field resolvers run concurrently; one session cannot, so queries take
        turns on it. Queries read: writes go through :meth:`write`.
        """
        async with self._lock:
            if self._session is None:
                self._session = (self.read_sessions or self.sessions)()
            return await query(self._session, *args, **kwargs)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A session of its own for a mutation, committed on success."""
        async with self.sessions() as session, session.begin():
            yield session

    async def flush_readings(self, request_id: str | None = None) -> None:
        """Write the request's readings to the access log, in one statement."""
        if not self.readings:
            return
        from hub.store.access_log import record_readings

        readings, self.readings = self.readings, set()
        record = partial(record_readings, viewer=self.viewer.subject or self.viewer.role.value.lower(),
                         role=self.viewer.role, readings=readings, at=self.now, request_id=request_id)
        if self._reads_autocommit():  # one INSERT is a transaction of its own: no second connection, no BEGIN
            await self.read(record)
            return
        async with self.sessions() as session, session.begin():
            await record(session)

    def _reads_autocommit(self) -> bool:
        """Whether the request's read session is open and commits each statement (PostgreSQL's read sessions)."""
        session = self._session
        return (session is not None and self.read_sessions is not None and session.bind is not None
                and session.bind.dialect.name == "postgresql")

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
