"""Attachment rows: adding the record of a kept file, and reading a page's attachments in one statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.vocabulary import EventKind
from hub.store.complaint_writes import NATIONAL_SYSTEM
from hub.store.models import Attachment, TimelineEvent


def add_attachment(session: AsyncSession, *, complaint_id: int, file_name: str, content_type: str, size_bytes: int,
                   url: str, storage_key: str, sha256: str, uploaded_by: str, location_shared: bool,
                   event_id: int | None, now: datetime) -> Attachment:
    row = Attachment(complaint_id=complaint_id, file_name=file_name, content_type=content_type, url=url,
                     size_bytes=size_bytes, source_system=NATIONAL_SYSTEM, created_at=now, storage_key=storage_key,
                     sha256=sha256, event_id=event_id, uploaded_by=uploaded_by, location_shared=location_shared)
    session.add(row)
    return row


async def attachments_by_complaint(session: AsyncSession,
                                   complaint_ids: Sequence[int]) -> dict[int, list[tuple[Attachment, EventKind | None]]]:
    """Each complaint's attachments, oldest first, with the kind of event each came with."""
    found: dict[int, list[tuple[Attachment, EventKind | None]]] = defaultdict(list)
    rows = await session.execute(
        select(Attachment, TimelineEvent.kind).outerjoin(TimelineEvent, TimelineEvent.id == Attachment.event_id)
        .where(Attachment.complaint_id.in_(list(complaint_ids))).order_by(Attachment.complaint_id, Attachment.id))
    for row, kind in rows:
        found[row.complaint_id].append((row, kind))
    return found


async def link_regional_media(session: AsyncSession, named: Sequence[tuple[int, str]], *,
                              source_system: str, now: datetime) -> int:
    """Keep each file a region names (complaint id, URL) as a link on the complaint, with its source, once.

    Returns how many links were new.
    """
    wanted = set(named)
    if not wanted:
        return 0
    known = set((await session.execute(
        select(Attachment.complaint_id, Attachment.url).where(Attachment.complaint_id.in_({c for c, _ in wanted}))
    )).all())
    fresh = sorted(wanted - known)
    for complaint_id, url in fresh:
        name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or "lampiran"
        session.add(Attachment(complaint_id=complaint_id, file_name=name[:300], content_type=None, url=url[:1000],
                               size_bytes=None, source_system=source_system, created_at=now))
    return len(fresh)


async def kept_files_of(session: AsyncSession, complaint_id: int) -> list[Attachment]:
    """The files the hub keeps itself for a complaint (not links to a region's), oldest first."""
    return list(await session.scalars(
        select(Attachment).where(Attachment.complaint_id == complaint_id, Attachment.storage_key.is_not(None))
        .order_by(Attachment.id)))
