"""One pull run per region at a time, across every hub process.

On PostgreSQL a session-level advisory lock, held on a dedicated connection
for the run, decides; it vanishes with the connection if the process dies.
On SQLite a lease row in ``sync_locks`` does: taken when free, expired, held
by a process on this host that no longer exists, or left by this process by a
task that was cancelled before it could release it; renewed as the run
progresses.
"""

from __future__ import annotations

import hashlib
import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from hub.store.sync_models import SyncLock
from hub.store.types import utcnow

HOST = socket.gethostname()
LEASE = timedelta(minutes=5)
_HELD: set[str] = set()  # holders of the leases this process holds right now


def instance_id() -> str:
    return f"{HOST}:{os.getpid()}"


def _advisory_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def _holder_is_dead(holder: str) -> bool:
    """A holder on this host whose process is gone, or a lease of this process that
    nothing here holds any more (left by a task that was cancelled mid-release)."""
    if holder.startswith(f"{instance_id()}:"):
        return holder not in _HELD
    host, _, rest = holder.partition(":")
    pid_text = rest.split(":", 1)[0]
    if host != HOST or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class Lease:
    """A held lock; ``renew`` extends a SQLite lease (no-op on PostgreSQL)."""

    def __init__(self, engine: AsyncEngine, name: str, holder: str) -> None:
        self.engine, self.name, self.holder = engine, name, holder

    async def renew(self) -> None:
        if self.engine.dialect.name == "postgresql":
            return
        async with self.engine.begin() as connection:
            await connection.execute(
                update(SyncLock)
                .where(SyncLock.name == self.name, SyncLock.holder == self.holder)
                .values(expires_at=utcnow() + LEASE)
            )


async def _try_sqlite(connection: AsyncConnection, name: str, holder: str, now: datetime) -> bool:
    await connection.execute(
        sqlite.insert(SyncLock).values(name=name, holder=holder, expires_at=now + LEASE).on_conflict_do_nothing()
    )
    current = (await connection.execute(select(SyncLock).where(SyncLock.name == name))).one()
    if current.holder == holder:
        return True
    if current.expires_at < now or _holder_is_dead(current.holder):
        result = await connection.execute(
            update(SyncLock)
            .where(SyncLock.name == name, SyncLock.holder == current.holder)
            .values(holder=holder, expires_at=now + LEASE)
        )
        return result.rowcount == 1
    return False


@asynccontextmanager
async def region_lock(engine: AsyncEngine, name: str) -> AsyncIterator[Lease | None]:
    """Yield a :class:`Lease` if this process got the lock, else ``None`` (someone else runs it)."""
    holder = f"{instance_id()}:{uuid.uuid4().hex[:8]}"
    if engine.dialect.name == "postgresql":
        async with engine.connect() as connection:
            key = _advisory_key(name)
            got = (await connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})).scalar_one()
            await connection.commit()
            if not got:
                yield None
                return
            try:
                yield Lease(engine, name, holder)
            finally:
                await connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                await connection.commit()
        return
    async with engine.begin() as connection:
        got = await _try_sqlite(connection, name, holder, utcnow())
    if not got:
        yield None
        return
    _HELD.add(holder)
    try:
        yield Lease(engine, name, holder)
    finally:
        _HELD.discard(holder)
        async with engine.begin() as connection:
            await connection.execute(delete(SyncLock).where(SyncLock.name == name, SyncLock.holder == holder))


async def claim_slot(engine: AsyncEngine, name: str, slot: datetime) -> bool:
    """Claim one scheduled moment (``slot``) of a job for this process; ``False`` if another
    process claimed it already. A row per name in ``sync_locks`` holds the latest claimed slot
    (``slot:<ISO time>``): inserted, or moved forward only if it was earlier. Stops a second
    process from running a region again in the same interval right after the first one
    finished and released the region's lock."""
    mark = _slot_mark(slot)
    insert = (postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert)(SyncLock)
    async with engine.begin() as connection:
        inserted = await connection.execute(
            insert.values(name=name, holder=mark, expires_at=slot).on_conflict_do_nothing())
        if inserted.rowcount == 1:
            return True
        moved = await connection.execute(
            update(SyncLock).where(SyncLock.name == name, SyncLock.holder < mark).values(holder=mark, expires_at=slot))
        return moved.rowcount == 1


def _slot_mark(slot: datetime) -> str:
    return f"slot:{slot.astimezone(UTC).isoformat(timespec='milliseconds')}"


__all__ = ["Lease", "claim_slot", "instance_id", "region_lock"]
