"""Allocating national tracking ids from the per-year counter.

``UPDATE ... RETURNING`` on one counter row serialises allocation on both
PostgreSQL (row lock) and SQLite (database write lock), so two processes
never hand out the same number, and a number is never handed out twice.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.tracking import MAX_NUMBER, format_tracking_id
from hub.store.models import TrackingCounter


async def allocate_tracking_ids(session: AsyncSession, year: int, count: int = 1) -> list[str]:
    if count < 1:
        return []
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    await session.execute(
        insert(TrackingCounter).values(year=year, last_number=0).on_conflict_do_nothing(index_elements=["year"])
    )
    last = (
        await session.execute(
            update(TrackingCounter)
            .where(TrackingCounter.year == year)
            .values(last_number=TrackingCounter.last_number + count)
            .returning(TrackingCounter.last_number)
        )
    ).scalar_one()
    if last > MAX_NUMBER:
        raise OverflowError(f"tracking numbers for {year} are exhausted")
    return [format_tracking_id(year, number) for number in range(last - count + 1, last + 1)]
