"""Reading sync state for the API and the CLI, scoped to the caller's regions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.access import Viewer
from hub.store.keyset import KeysetPage, PageRequest, keyset_page
from hub.store.scope import regions_clause
from hub.store.sync_models import RejectedRecord, SyncRun, SyncState


async def sync_states(session: AsyncSession) -> dict[str, SyncState]:
    return {row.source_system: row for row in await session.scalars(select(SyncState))}


async def latest_runs(session: AsyncSession, source_systems: Sequence[str]) -> dict[str, SyncRun]:
    newest = (
        select(SyncRun.source_system, func.max(SyncRun.id).label("id"))
        .where(SyncRun.source_system.in_(list(source_systems)))
        .group_by(SyncRun.source_system)
        .subquery()
    )
    rows = await session.scalars(select(SyncRun).join(newest, SyncRun.id == newest.c.id))
    return {row.source_system: row for row in rows}


async def open_rejection_counts(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(
        select(RejectedRecord.source_system, func.count())
        .where(RejectedRecord.resolved_at.is_(None))
        .group_by(RejectedRecord.source_system)
    )
    return {system: count for system, count in rows}


async def list_runs(session: AsyncSession, viewer: Viewer, *, region_code: str | None,
                    page: PageRequest) -> KeysetPage[SyncRun]:
    """Runs of ``viewer``'s regions, newest first."""
    query = select(SyncRun).where(regions_clause(viewer, SyncRun.region_code))
    if region_code is not None:
        query = query.where(SyncRun.region_code == region_code)
    return await keyset_page(session, query, (SyncRun.id,), order="sync-runs", page=page)


async def list_rejections(
    session: AsyncSession, viewer: Viewer, *, region_code: str | None, include_resolved: bool, page: PageRequest
) -> KeysetPage[RejectedRecord]:
    """Rejected records of ``viewer``'s regions, the last rejected first."""
    query = select(RejectedRecord).where(regions_clause(viewer, RejectedRecord.region_code))
    if region_code is not None:
        query = query.where(RejectedRecord.region_code == region_code)
    if not include_resolved:
        query = query.where(RejectedRecord.resolved_at.is_(None))
    return await keyset_page(session, query, (RejectedRecord.last_seen_at, RejectedRecord.id),
                             order="rejected-records", page=page)
