"""Keeping regional records that could not be mapped, with the reason.

A rejected record is keyed by its source id (or a digest of its payload when
it has none), so pulling it again bumps its count and ``last_seen_at`` instead
of adding a row; when it later maps cleanly it is marked resolved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.connectors.records import Rejection
from hub.store.in_list import one_of
from hub.store.sync_models import RejectedRecord


def _raw_text(raw: object) -> str:
    if isinstance(raw, bytes):
        return raw.decode("utf-8", errors="replace")
    if isinstance(raw, str):
        return raw
    return json.dumps(raw, ensure_ascii=False, default=str, sort_keys=True)


def record_key(rejection: Rejection) -> str:
    if rejection.source_id:
        return f"id:{rejection.source_id}"[:160]
    return "sha256:" + hashlib.sha256(_raw_text(rejection.raw).encode()).hexdigest()


async def keep_rejections(
    session: AsyncSession, *, region_code: str, source_system: str, rejections: Sequence[Rejection], now: datetime
) -> None:
    if not rejections:
        return
    by_key = {record_key(r): r for r in rejections}
    existing = {
        row.record_key: row
        for row in await session.scalars(
            select(RejectedRecord).where(
                RejectedRecord.source_system == source_system, one_of(session, RejectedRecord.record_key, by_key)
            )
        )
    }
    for key, rejection in by_key.items():
        row = existing.get(key)
        if row is None:
            session.add(
                RejectedRecord(
                    region_code=region_code,
                    source_system=source_system,
                    record_key=key,
                    source_id=rejection.source_id,
                    raw=_raw_text(rejection.raw),
                    reason=rejection.reason,
                    first_seen_at=now,
                    last_seen_at=now,
                    count=1,
                )
            )
        else:
            row.count += 1
            row.last_seen_at = now
            row.reason = rejection.reason
            row.raw = _raw_text(rejection.raw)
            row.resolved_at = None


async def resolve_rejections(
    session: AsyncSession, *, source_system: str, source_ids: Iterable[str], now: datetime
) -> None:
    """Mark earlier rejections of records that now map cleanly as resolved."""
    keys = [f"id:{source_id}"[:160] for source_id in source_ids]
    if keys:
        await session.execute(
            update(RejectedRecord)
            .where(
                RejectedRecord.source_system == source_system,
                one_of(session, RejectedRecord.record_key, keys),
                RejectedRecord.resolved_at.is_(None),
            )
            .values(resolved_at=now)
        )
