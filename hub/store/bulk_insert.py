"""Bulk inserts for seeding and benchmarks: millions of rows known to be valid.

On SQLite most of the time of SQLAlchemy's ``executemany`` goes to per-value
type processing; :func:`insert_rows` converts values the way SQLAlchemy would
store them and hands them straight to the driver. PostgreSQL uses Core bulk
inserts as they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Table, func, insert, select
from sqlalchemy import Enum as SAEnum
from sqlalchemy.ext.asyncio import AsyncSession

from hub.store.types import UTCDateTime


def _utc_text(moment: datetime | None) -> str | None:
    """A datetime as SQLAlchemy stores it on SQLite: naive UTC with microseconds."""
    if moment is None:
        return None
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(" ", "microseconds")[:26]


def _sqlite_value(column_type: Any) -> Callable[[Any], Any] | None:
    """How SQLAlchemy would bind a value of this column type on SQLite (None: as it is)."""
    if isinstance(column_type, UTCDateTime):
        return _utc_text
    if isinstance(column_type, SAEnum):
        return lambda v: getattr(v, "value", v)
    if isinstance(column_type, JSON):
        return lambda v: None if v is None else json.dumps(v)
    return None


async def insert_rows(session: AsyncSession, table: Table, rows: list[dict[str, Any]]) -> None:
    """Bulk insert; on SQLite straight through the driver's ``executemany``.

    Seeding writes millions of rows whose values are known to be valid, so on
    SQLite the per-value type processing of SQLAlchemy's executemany (most of
    the time spent) is done by the converters above instead.
    """
    if not rows:
        return
    if session.get_bind().dialect.name != "sqlite":
        await session.execute(insert(table), rows)
        return
    columns = [c for c in table.columns if c.name in rows[0]]
    converters = [(c.name, _sqlite_value(c.type)) for c in columns]
    sql = (f"INSERT INTO {table.name} ({', '.join(c.name for c in columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")
    values = []
    for name, convert in converters:
        column = [row[name] for row in rows]
        values.append(list(map(convert, column)) if convert else column)
    params = list(zip(*values, strict=True))
    connection = await session.connection()
    await connection.exec_driver_sql(sql, params)


async def insert_returning_ids(session: AsyncSession, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` and return their ids in order.

    PostgreSQL returns them in parameter order from a batched ``RETURNING``.
    SQLite would insert row by row to promise that order, so there the ids are
    assigned up front: the transaction already holds the database's write lock
    (taken when tracking ids were allocated), so nobody else can take them.
    """
    if session.get_bind().dialect.name != "sqlite":
        result = await session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        return list(result.scalars().all())
    first = ((await session.scalar(select(func.max(table.c.id)))) or 0) + 1
    ids = list(range(first, first + len(rows)))
    await insert_rows(session, table, [{**row, "id": row_id} for row, row_id in zip(rows, ids, strict=True)])
    return ids
