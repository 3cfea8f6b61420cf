"""Allocating national tracking ids from the per-year counter.

``UPDATE ... RETURNING`` on one counter row serialises allocation on both
PostgreSQL (row lock) and SQLite (database write lock), so two processes
never hand out the same number, and a number is never handed out twice.

The row lock lasts until the allocating transaction ends. A pull run's page
transaction is long (a page of records), so on PostgreSQL a run allocates
``apart``: in a short transaction of its own, committed at once, which lets
hundreds of regions' runs create complaints side by side instead of one
after the other. A page that then rolls back leaves a gap in the numbers,
never a number given twice. SQLite keeps the allocation in the page's
transaction: that transaction holds the database's write lock anyway, and
the bulk insert relies on it (:func:`hub.store.bulk_insert.insert_returning_ids`).
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from hub.domain.tracking import MAX_NUMBER, format_tracking_id
from hub.store.models import TrackingCounter


async def allocate_tracking_ids(session: AsyncSession, year: int, count: int = 1, *, apart: bool = False) -> list[str]:
    """``count`` new tracking ids of ``year``; ``apart``: in a transaction of their own (PostgreSQL)."""
    if count < 1:
        return []
    bind, dialect = session.bind, session.get_bind().dialect.name
    if apart and isinstance(bind, AsyncEngine) and dialect == "postgresql":
        async with bind.begin() as connection:
            last = await _take(connection, year, count, dialect="postgresql")
    else:
        last = await _take(session, year, count, dialect=dialect)
    if last > MAX_NUMBER:
        raise OverflowError(f"tracking numbers for {year} are exhausted")
    return [format_tracking_id(year, number) for number in range(last - count + 1, last + 1)]


async def _take(on: AsyncSession | AsyncConnection, year: int, count: int, *, dialect: str) -> int:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await on.execute(
        insert(TrackingCounter).values(year=year, last_number=0).on_conflict_do_nothing(index_elements=["year"])
    )
    return (
        await on.execute(
            update(TrackingCounter)
            .where(TrackingCounter.year == year)
            .values(last_number=TrackingCounter.last_number + count)
            .returning(TrackingCounter.last_number)
        )
    ).scalar_one()
