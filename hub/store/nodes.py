"""Single rows by key for ``node(id:)``, scoped like the lists they appear in.

Rows listed per region (sync runs, rejected records, outbox rows) are read
through :func:`hub.store.scope.regions_clause`, the same rule as their lists;
rows whose scope hangs on another object (an attachment's complaint, a
delivery's subscription) are read plainly and checked by the resolver with
that object's rule.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.access import Viewer
from hub.store.outbox_models import OutboxRow
from hub.store.scope import regions_clause
from hub.store.sync_models import RejectedRecord, SyncRun

T = TypeVar("T")


async def row_by_key(session: AsyncSession, model: type[T], key: int) -> T | None:
    """The ``model`` row keyed ``key``; the caller checks who may see it."""
    return await session.get(model, key)


async def _scoped(session: AsyncSession, viewer: Viewer, model: Any, key: int) -> Any:
    query = select(model).where(model.id == key, regions_clause(viewer, model.region_code))
    return (await session.scalars(query)).first()


async def run_by_key(session: AsyncSession, viewer: Viewer, key: int) -> SyncRun | None:
    return await _scoped(session, viewer, SyncRun, key)


async def rejection_by_key(session: AsyncSession, viewer: Viewer, key: int) -> RejectedRecord | None:
    return await _scoped(session, viewer, RejectedRecord, key)


async def outbox_row_by_key(session: AsyncSession, viewer: Viewer, key: int) -> OutboxRow | None:
    return await _scoped(session, viewer, OutboxRow, key)
