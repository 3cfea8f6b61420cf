"""Bulk inserts for seeding and pulled pages: many rows known to be valid.

Most of the time of SQLAlchemy's ``executemany`` (and of its batched
``INSERT ... RETURNING``) goes to per-value type processing and to rendering
parameters; :func:`insert_rows` converts values the way SQLAlchemy would
store them and hands them straight to the driver, in the session's
transaction: ``sqlite3``'s ``executemany``; on PostgreSQL one statement per
call, ``INSERT ... SELECT * FROM unnest($1::type[], $2::type[], ...)``, one
array per column. One statement matters on PostgreSQL: the statistics tallies
and search words are kept by statement-level triggers (transition tables),
which an ``executemany`` fires once per row (a page of 500 complaints: 500
times each) and a single statement once per page; it also takes the tally
and search-word rows in one sorted pass, which keeps concurrent pages from
deadlocking. Columns a row does not name get the database's default (not
SQLAlchemy's Python-side one): callers name them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Table, func, insert, select, text
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


def _naive_utc(moment: datetime | None) -> datetime | None:
    """A datetime as SQLAlchemy binds it on PostgreSQL (``UTCDateTime``): naive UTC."""
    if moment is None:
        return None
    if moment.tzinfo is UTC:  # most are: a conversion saved per value of a page
        return moment.replace(tzinfo=None)
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r} given where an aware one is required")
    return moment.astimezone(UTC).replace(tzinfo=None)


def _postgres_value(column_type: Any) -> Callable[[Any], Any] | None:
    """How SQLAlchemy would bind a value of this column type on asyncpg (None: as it is)."""
    if isinstance(column_type, UTCDateTime):
        return _naive_utc
    if isinstance(column_type, SAEnum):
        return lambda v: getattr(v, "value", v)
    if isinstance(column_type, JSON):
        return json.dumps  # as SQLAlchemy's JSON: None is stored as JSON null
    return None


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
    """Bulk insert of ``rows`` (each naming the same columns) straight through the driver.

    The per-value type processing of SQLAlchemy's executemany (most of the
    time spent) is done by the converters above instead.
    """
    if not rows:
        return
    postgres = session.get_bind().dialect.name == "postgresql"
    if not postgres and session.get_bind().dialect.name != "sqlite":
        await session.execute(insert(table), rows)
        return
    columns = [c for c in table.columns if c.name in rows[0]]
    converters = [(c.name, (_postgres_value if postgres else _sqlite_value)(c.type)) for c in columns]
    values = []
    for name, convert in converters:
        column = [row[name] for row in rows]
        values.append(list(map(convert, column)) if convert else column)
    names = ", ".join(c.name for c in columns)
    connection = await session.connection()
    if postgres:
        arrays = ", ".join(f"${position}::{column.type.compile(dialect=connection.dialect)}[]"
                           for position, column in enumerate(columns, 1))
        driver = (await connection.get_raw_connection()).driver_connection
        if driver is None:
            raise RuntimeError("the PostgreSQL connection was closed under a bulk insert")
        await driver.execute(f"INSERT INTO {table.name} ({names}) SELECT * FROM unnest({arrays})", *values)
        return
    await connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({', '.join('?' for _ in columns)})",
                                     list(zip(*values, strict=True)))


async def insert_returning_ids(session: AsyncSession, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` and return their ids in order.

    The ids are assigned up front and inserted with the rows. PostgreSQL
    takes them from the table's sequence, as a default would. SQLite would
    insert row by row to promise an order of ``RETURNING``, so there they
    follow the largest id: the transaction already holds the database's write
    lock (taken when tracking ids were allocated), so nobody else can take them.
    """
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        ids = list(await session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"),
            {"table": table.name, "count": len(rows)}))
    elif dialect == "sqlite":
        first = ((await session.scalar(select(func.max(table.c.id)))) or 0) + 1
        ids = list(range(first, first + len(rows)))
    else:
        result = await session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        return list(result.scalars().all())
    await insert_rows(session, table, [{**row, "id": row_id} for row, row_id in zip(rows, ids, strict=True)])
    return ids
