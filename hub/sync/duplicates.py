"""Flagging likely duplicates for a national admin; never merging them.

Two complaints are likely one filed twice when the same reporter (matched by
phone or email) filed both in the same region within 7 days and their texts
are similar (difflib ratio of title and body at least 0.6).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from difflib import SequenceMatcher

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.store.models import Complaint
from hub.store.sync_models import DuplicateFlag

WINDOW = timedelta(days=7)
THRESHOLD = 0.6


def similarity(a: Complaint, b: Complaint) -> float:
    left = f"{a.title}\n{a.body}".casefold()
    right = f"{b.title}\n{b.body}".casefold()
    return SequenceMatcher(None, left, right).ratio()


async def flag_duplicates(session: AsyncSession, new: Sequence[Complaint]) -> int:
    """Flag each new complaint that looks like an earlier one; return how many flags."""
    candidates = [c for c in new if c.reporter_id is not None]
    if not candidates:
        return 0
    earliest = min(c.created_at for c in candidates) - WINDOW
    others = list(
        await session.scalars(
            select(Complaint).where(
                Complaint.reporter_id.in_({c.reporter_id for c in candidates}),
                Complaint.created_at >= earliest,
                Complaint.merged_into_id.is_(None),
            )
        )
    )
    by_reporter: dict[int, list[Complaint]] = defaultdict(list)
    for other in others:
        by_reporter[other.reporter_id].append(other)  # type: ignore[index]
    flags = 0
    for complaint in candidates:
        for other in by_reporter[complaint.reporter_id]:  # type: ignore[index]
            if (
                other.id == complaint.id
                or other.region_code != complaint.region_code
                or abs(other.created_at - complaint.created_at) > WINDOW
                or (other.created_at, other.id) > (complaint.created_at, complaint.id)
            ):
                continue
            score = similarity(complaint, other)
            if score >= THRESHOLD:
                session.add(
                    DuplicateFlag(
                        complaint_id=complaint.id,
                        duplicate_of_id=other.id,
                        similarity=round(score, 3),
                        reason=(
                            f"same reporter, same region, filed {abs(complaint.created_at - other.created_at).days} "
                            f"day(s) apart, text {score:.0%} similar"
                        ),
                    )
                )
                flags += 1
    return flags
