"""One run per region across processes: the lock decides."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from hub.store.database import create_engine
from hub.store.sync_models import SyncLock
from hub.store.types import utcnow
from hub.sync.locks import region_lock


async def test_a_second_holder_is_refused_while_the_first_holds(engine, database_url):
    other = create_engine(database_url)  # another process's pool
    try:
        async with region_lock(engine, "sync:rest:19.71") as first:
            assert first is not None
            async with region_lock(other, "sync:rest:19.71") as second:
                assert second is None
            async with region_lock(other, "sync:rest:61.71") as unrelated:
                assert unrelated is not None
        async with region_lock(other, "sync:rest:19.71") as after:
            assert after is not None
    finally:
        await other.dispose()


async def test_an_expired_or_dead_sqlite_lease_is_taken_over(sqlite_template, tmp_path):
    """SQLite's lease (PostgreSQL's advisory lock dies with its connection instead)."""
    import shutil

    shutil.copy(sqlite_template, tmp_path / "locks.db")
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'locks.db'}")
    async with engine.begin() as connection:
        await connection.execute(
            SyncLock.__table__.insert().values(name="sync:x", holder="elsewhere:1:abc", expires_at=utcnow() - timedelta(seconds=1))
        )
    async with region_lock(engine, "sync:x") as lease:
        assert lease is not None
    async with engine.begin() as connection:
        await connection.execute(
            SyncLock.__table__.insert().values(name="sync:y", holder="elsewhere:1:abc", expires_at=utcnow() + timedelta(minutes=5))
        )
    async with region_lock(engine, "sync:y") as lease:
        assert lease is None  # a live holder elsewhere keeps it
    import socket

    async with engine.begin() as connection:
        await connection.execute(update(SyncLock).where(SyncLock.name == "sync:y").values(holder=f"{socket.gethostname()}:999999:abc"))
    async with region_lock(engine, "sync:y") as lease:
        assert lease is not None  # the holder process no longer exists
    await engine.dispose()


async def test_a_lease_this_process_no_longer_holds_is_taken_over(sqlite_template, tmp_path):
    """A task cancelled before releasing its lease must not lock its region for minutes."""
    import shutil

    from hub.sync.locks import instance_id

    shutil.copy(sqlite_template, tmp_path / "orphan.db")
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'orphan.db'}")
    async with engine.begin() as connection:
        await connection.execute(SyncLock.__table__.insert().values(
            name="push:rest:19.71", holder=f"{instance_id()}:deadbeef", expires_at=utcnow() + timedelta(minutes=5)))
    async with region_lock(engine, "push:rest:19.71") as lease:
        assert lease is not None
        async with region_lock(engine, "push:rest:19.71") as second:
            assert second is None  # but a lease this process really holds is respected
    await engine.dispose()
