"""The access log: who read a reporter's identity or a confidential complaint,
which complaint, through which field, and when.

A request collects its readings in memory (``hub.resolvers.access_log``) and
writes them here once, in one statement, when it ends; a national admin lists
them newest first; a scheduled job drops rows past the retention period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, String, bindparam, delete, func, insert, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from hub.domain.vocabulary import Role
from hub.store.keyset import KeysetPage, PageRequest, keyset_page
from hub.store.privacy_models import AccessLogEntry


@dataclass(frozen=True, slots=True)
class Reading:
    complaint_id: int
    field: str


async def record_readings(
    session: AsyncSession, *, viewer: str, role: Role, readings: Iterable[Reading], at: datetime,
    request_id: str | None = None,
) -> int:
    rows: list[dict[str, Any]] = [
        {"viewer": viewer, "viewer_role": role, "complaint_id": r.complaint_id, "field": r.field, "read_at": at,
         "request_id": request_id}
        for r in sorted(set(readings), key=lambda r: (r.complaint_id, r.field))
    ]
    if rows and session.bind is not None and session.bind.dialect.name == "postgresql":
        await session.execute(_INSERT_UNNESTED, {
            "viewer": viewer, "role": role, "at": at, "request_id": request_id,
            "ids": [row["complaint_id"] for row in rows], "fields": [row["field"] for row in rows]})
    elif rows:
        await session.execute(insert(AccessLogEntry.__table__), rows)  # Core executemany: no ORM bookkeeping
    return len(rows)


def _insert_unnested() -> Any:
    """On PostgreSQL the readings go in as two arrays: one statement, compiled once, whatever their number."""
    table = AccessLogEntry.__table__
    c = table.c
    pairs = func.unnest(bindparam("ids", type_=ARRAY(BigInteger)), bindparam("fields", type_=ARRAY(String))) \
        .table_valued("complaint_id", "field").render_derived(name="reading")
    return insert(table).from_select(
        ["viewer", "viewer_role", "complaint_id", "field", "read_at", "request_id"],
        select(bindparam("viewer", type_=c.viewer.type), bindparam("role", type_=c.viewer_role.type),
               pairs.c.complaint_id, pairs.c.field, bindparam("at", type_=c.read_at.type),
               bindparam("request_id", type_=c.request_id.type)).select_from(pairs),
    )


_INSERT_UNNESTED = _insert_unnested()


async def list_access_log(
    session: AsyncSession, *, complaint_id: int | None = None, viewer: str | None = None, page: PageRequest,
) -> KeysetPage[AccessLogEntry]:
    """A page of entries, newest first."""
    query = select(AccessLogEntry)
    if complaint_id is not None:
        query = query.where(AccessLogEntry.complaint_id == complaint_id)
    if viewer is not None:
        query = query.where(AccessLogEntry.viewer == viewer)
    return await keyset_page(session, query, (AccessLogEntry.id,), order="access-log", page=page)


async def prune_access_log(engine: AsyncEngine, *, older_than: datetime) -> int:
    """Drop entries read before ``older_than``; the number dropped."""
    async with engine.begin() as connection:
        result = await connection.execute(delete(AccessLogEntry).where(AccessLogEntry.read_at < older_than))
    return int(result.rowcount or 0)
