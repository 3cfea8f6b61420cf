"""Batch lookups behind the GraphQL DataLoaders: one statement per batch of keys.

Each function returns a mapping from key to result; the loaders put results
back in key order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from hub.domain.vocabulary import RegionLevel
from hub.store.models import Agency, Category, ComplaintSource, Region, Reporter, TimelineEvent


async def regions_by_code(session: AsyncSession, codes: Sequence[str]) -> dict[str, Region]:
    rows = await session.scalars(select(Region).where(Region.code.in_(list(codes))))
    return {row.code: row for row in rows}


async def region_children(session: AsyncSession, parent_codes: Sequence[str]) -> dict[str, list[Region]]:
    rows = await session.scalars(
        select(Region).where(Region.parent_code.in_(list(parent_codes))).order_by(Region.code)
    )
    grouped: dict[str, list[Region]] = defaultdict(list)
    for row in rows:
        grouped[row.parent_code or ""].append(row)
    return grouped


async def list_regions(
    session: AsyncSession, *, level: RegionLevel | None = None, parent_code: str | None = None
) -> list[Region]:
    query = select(Region).order_by(Region.code)
    if level is not None:
        query = query.where(Region.level == level)
    if parent_code is not None:
        query = query.where(Region.parent_code == parent_code)
    return list((await session.scalars(query)).all())


async def agencies_by_id(session: AsyncSession, ids: Sequence[int]) -> dict[int, Agency]:
    rows = await session.scalars(select(Agency).where(Agency.id.in_(list(ids))))
    return {row.id: row for row in rows}


async def list_agencies(session: AsyncSession, *, region_code: str | None = None) -> list[Agency]:
    query = select(Agency).order_by(Agency.region_code, Agency.name)
    if region_code is not None:
        query = query.where(Agency.region_code == region_code)
    return list((await session.scalars(query)).all())


async def categories_by_code(session: AsyncSession, codes: Sequence[str]) -> dict[str, Category]:
    rows = await session.scalars(select(Category).where(Category.code.in_(list(codes))))
    return {row.code: row for row in rows}


async def list_categories(session: AsyncSession) -> list[Category]:
    return list((await session.scalars(select(Category).order_by(Category.name))).all())


async def reporters_by_id(session: AsyncSession, ids: Sequence[int]) -> dict[int, Reporter]:
    rows = await session.scalars(select(Reporter).where(Reporter.id.in_(list(ids))))
    return {row.id: row for row in rows}


async def sources_by_complaint(session: AsyncSession, complaint_ids: Sequence[int]) -> dict[int, list[ComplaintSource]]:
    rows = await session.scalars(
        select(ComplaintSource)
        .where(ComplaintSource.complaint_id.in_(list(complaint_ids)))
        .order_by(ComplaintSource.complaint_id, ComplaintSource.first_seen_at, ComplaintSource.id)
    )
    grouped: dict[int, list[ComplaintSource]] = defaultdict(list)
    for row in rows:
        grouped[row.complaint_id].append(row)
    return grouped


async def events_by_complaint(
    session: AsyncSession, complaint_ids: Sequence[int], *, last: int | None = None
) -> dict[int, list[TimelineEvent]]:
    """Each complaint's timeline, oldest first; with ``last``, only its latest ``last`` events."""
    query = select(TimelineEvent).where(TimelineEvent.complaint_id.in_(list(complaint_ids)))
    if last is not None:
        position = (
            func.row_number()
            .over(
                partition_by=TimelineEvent.complaint_id,
                order_by=(TimelineEvent.occurred_at.desc(), TimelineEvent.id.desc()),
            )
            .label("position")
        )
        ranked = query.add_columns(position).subquery()
        event = aliased(TimelineEvent, ranked)
        rows = await session.scalars(select(event).where(ranked.c.position <= last))
    else:
        rows = await session.scalars(query)
    grouped: dict[int, list[TimelineEvent]] = defaultdict(list)
    for row in rows:
        grouped[row.complaint_id].append(row)
    for events in grouped.values():
        events.sort(key=lambda e: (e.occurred_at, e.id))
    return grouped
