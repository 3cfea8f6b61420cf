"""Hearing changes made by any hub process: the listening side of the change feed.

On PostgreSQL one dedicated asyncpg connection per process runs ``LISTEN``
on :data:`hub.store.change_feed.CHANNEL`; every ``pg_notify`` issued by a
committed transaction in any hub process arrives here and is fanned out to
this process's subscribers. On SQLite (one process) the in-process bus does
the same. Messages carry ids only; subscribers load what they may see.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.store.change_feed import CHANNEL, LOCAL_BUS, bus_key

log = logging.getLogger("hub.sync.events")


class ChangeFeed:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.key = bus_key(engine.url)
        self._postgres = engine.dialect.name == "postgresql"
        self._connection: Any = None
        self._queues: set[asyncio.Queue[dict[str, Any]]] = set()
        self._local: asyncio.Queue[dict[str, Any]] | None = None
        self._pump: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self._postgres:
            await self._listen()
        else:
            self._local = LOCAL_BUS.subscribe(self.key)
            self._pump = asyncio.create_task(self._drain_local())

    async def _listen(self) -> None:
        import asyncpg

        url = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._connection = await asyncpg.connect(url)
        await self._connection.add_listener(CHANNEL, self._on_notify)
        self._connection.add_termination_listener(self._on_lost)

    def _on_lost(self, _connection: Any) -> None:
        """The LISTEN connection died (database restart): listen again, retrying with backoff."""
        if self._connection is None:
            return  # stopping
        self._connection = None
        self._pump = asyncio.create_task(self._reconnect())

    async def _reconnect(self) -> None:
        delay = 0.5
        while True:
            try:
                await self._listen()
                log.info("change feed listening again")
                return
            except Exception as exc:  # keep trying; subscribers wait meanwhile
                log.warning("change feed cannot listen yet (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30)

    async def stop(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            await connection.remove_listener(CHANNEL, self._on_notify)
            await connection.close()
        if self._local is not None:
            LOCAL_BUS.unsubscribe(self.key, self._local)
        if self._pump is not None:
            self._pump.cancel()
            await asyncio.gather(self._pump, return_exceptions=True)

    def _on_notify(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            self._fan_out(json.loads(payload))
        except ValueError:
            log.warning("ignored a malformed change notification: %r", payload[:200])

    async def _drain_local(self) -> None:
        assert self._local is not None
        while True:
            self._fan_out(await self._local.get())

    def _fan_out(self, message: dict[str, Any]) -> None:
        for queue in list(self._queues):
            queue.put_nowait(message)

    async def publish(self, message: dict[str, Any]) -> None:
        """Announce something outside a write transaction (a sync run finished)."""
        if self._postgres:
            async with self.engine.begin() as connection:
                from sqlalchemy import text

                await connection.execute(text("SELECT pg_notify(:c, :p)"), {"c": CHANNEL, "p": json.dumps(message)})
        else:
            LOCAL_BUS.publish(self.key, message)

    async def messages(self, *types: str) -> AsyncIterator[dict[str, Any]]:
        """Every message of ``types`` from now on, until the caller stops iterating."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._queues.add(queue)
        try:
            while True:
                message = await queue.get()
                if not types or message.get("type") in types:
                    yield message
        finally:
            self._queues.discard(queue)
