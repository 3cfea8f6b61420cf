"""Duplicate flags: raised on submission and on pull, listed by scope, settled by merge or dismissal.

The rule is :mod:`hub.domain.duplicates`. :func:`flag_duplicates` runs in
the transaction that records new complaints (a hub submission, a page of
pulled records), so a complaint and its flags appear together. Earlier
complaints are found by the reporter's phone (in its usual spellings) or
e-mail, in the same regions, within the window; the rule decides.

A flag is listed to those who could settle it: both complaints visible to
the viewer and mergeable by them (the one scope rule, compiled over two
aliases of the complaints table). ``resolution`` is ``MERGED`` (by
``mergeComplaints``) or ``DISMISSED`` once settled.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from hub.domain.access import Viewer
from hub.domain.actions import Deed, deed_rule
from hub.domain.duplicates import WINDOW, Filed, contact_keys, filed_before, likely_duplicate, phone_spellings
from hub.store.drafts import ComplaintDraft
from hub.store.in_list import one_of
from hub.store.keyset import PageRequest, keyset_page
from hub.store.models import Complaint, Reporter
from hub.store.pagination import Cursor
from hub.store.scope import compile_rule, facts_of, visible_clause
from hub.store.sync_models import DuplicateFlag

_ORDER = "flags"


class FlagStatus(enum.StrEnum):
    OPEN = "OPEN"
    MERGED = "MERGED"
    DISMISSED = "DISMISSED"


def _filed(id: int, region_code: str, created_at: datetime, title: str, body: str, phone: str | None,
           email: str | None) -> Filed:
    return Filed(id=id, region_code=region_code, created_at=created_at, title=title, body=body,
                 contacts=contact_keys(phone, email))


async def flag_duplicates(session: AsyncSession, new: Sequence[Complaint | ComplaintDraft]) -> int:
    """Flag each pair of a new complaint and another that look like one filed twice; return how many flags.

    ``new`` needs ``id``, ``reporter_id``, ``region_code``, ``created_at``, ``title`` and ``body`` (a stored
    complaint, or the plain rows a pulled page creates). Only pairs that share a contact are put to the rule
    (it refuses every other pair), so a page of hundreds of complaints against the many complaints of the
    same contacts costs one comparison per plausible pair, not one per pair.
    """
    candidates = [c for c in new if c.reporter_id is not None]
    if not candidates:
        return 0
    reporters = {reporter_id: (phone, email) for reporter_id, phone, email in await session.execute(
        select(Reporter.id, Reporter.phone, Reporter.email).where(
            one_of(session, Reporter.id, {c.reporter_id for c in candidates})))}
    filed = [
        _filed(c.id, c.region_code, c.created_at, c.title, c.body, *reporters[c.reporter_id])
        for c in candidates if c.reporter_id in reporters
    ]
    filed = [f for f in filed if f.contacts]
    if not filed:
        return 0
    phones = {spelling for c in candidates if c.reporter_id in reporters
              for spelling in phone_spellings(reporters[c.reporter_id][0])}
    emails = {email.strip().casefold() for c in candidates
              if c.reporter_id in reporters and (email := reporters[c.reporter_id][1])}
    # The reporters first (indexes on phone and lower(email)), then their complaints (index on reporter_id); the
    # region and the window are checked here, so no planner walks every complaint of a region's weeks instead.
    reporter_ids = list(await session.scalars(
        select(Reporter.id).where(or_(one_of(session, Reporter.phone, phones),
                                      one_of(session, func.lower(Reporter.email), emails)))))
    regions = {f.region_code for f in filed}
    earliest = min(f.created_at for f in filed) - WINDOW
    latest = max(f.created_at for f in filed) + WINDOW
    rows = await session.execute(
        select(Complaint.id, Complaint.region_code, Complaint.created_at, Complaint.title, Complaint.body,
               Reporter.phone, Reporter.email)
        .join(Reporter, Reporter.id == Complaint.reporter_id)
        .where(one_of(session, Complaint.reporter_id, reporter_ids), Complaint.merged_into_id.is_(None))
        .order_by(Complaint.id)
    )
    others = [_filed(*row) for row in rows if row[1] in regions and earliest <= row[2] <= latest]
    sharing: dict[str, list[int]] = defaultdict(list)  # contact -> positions in ``others``
    for position, other in enumerate(others):
        for contact in other.contacts:
            sharing[contact].append(position)
    new_ids = {f.id for f in filed}
    known = {(later_id, earlier_id) for later_id, earlier_id in await session.execute(
        select(DuplicateFlag.complaint_id, DuplicateFlag.duplicate_of_id)
        .where(or_(one_of(session, DuplicateFlag.complaint_id, new_ids), one_of(session, DuplicateFlag.duplicate_of_id, new_ids)))
    )}
    flags: list[dict[str, Any]] = []
    for complaint in filed:
        for position in sorted({p for contact in complaint.contacts for p in sharing.get(contact, ())}):
            other = others[position]
            later, earlier = (complaint, other) if filed_before(other, complaint) else (other, complaint)
            if later.id == earlier.id or (later.id, earlier.id) in known:
                continue
            match = likely_duplicate(later, earlier)
            if match is None:
                continue
            known.add((later.id, earlier.id))
            flags.append({"complaint_id": later.id, "duplicate_of_id": earlier.id, "similarity": match.similarity,
                          "reason": match.reason})
    if flags:
        await session.execute(insert(DuplicateFlag), flags)
    return len(flags)


@dataclass(frozen=True, slots=True)
class FlagRow:
    flag: DuplicateFlag
    complaint: Complaint
    duplicate_of: Complaint

    @property
    def cursor(self) -> str:
        return Cursor(order=_ORDER, key=(self.flag.id,)).encode()


@dataclass(frozen=True, slots=True)
class FlagPage:
    rows: list[FlagRow]
    has_next_page: bool
    total: int
    has_previous_page: bool = False


def _scoped(viewer: Viewer, status: FlagStatus | None) -> tuple[Any, Any, list[Any]]:
    later, earlier = aliased(Complaint), aliased(Complaint)
    may_merge = deed_rule(viewer, Deed.MERGE)
    clauses: list[Any] = [
        visible_clause(viewer, later), visible_clause(viewer, earlier),
        compile_rule(may_merge, facts_of(later)), compile_rule(may_merge, facts_of(earlier)),
    ]
    if status is FlagStatus.OPEN:
        clauses.append(DuplicateFlag.resolved_at.is_(None))
    elif status is not None:
        clauses.append(DuplicateFlag.resolution == status.value)
    return later, earlier, clauses


async def list_flags(session: AsyncSession, viewer: Viewer, *, status: FlagStatus | None,
                     page: PageRequest) -> FlagPage:
    """A page of the flags ``viewer`` may settle, newest first."""
    later, earlier, clauses = _scoped(viewer, status)
    joined = (select(DuplicateFlag, later, earlier)
              .join(later, later.id == DuplicateFlag.complaint_id)
              .join(earlier, earlier.id == DuplicateFlag.duplicate_of_id))
    total = await session.scalar(
        select(func.count()).select_from(DuplicateFlag)
        .join(later, later.id == DuplicateFlag.complaint_id)
        .join(earlier, earlier.id == DuplicateFlag.duplicate_of_id)
        .where(*clauses)
    )
    found = await keyset_page(session, joined.where(*clauses), (DuplicateFlag.id,), order=_ORDER, page=page,
                              key_of=lambda row: (row[0].id,))
    rows = [FlagRow(flag, complaint, duplicate_of) for flag, complaint, duplicate_of in found.rows]
    return FlagPage(rows=rows, has_next_page=found.has_next_page, total=total or 0,
                    has_previous_page=found.has_previous_page)


async def settle(session: AsyncSession, flag: DuplicateFlag, resolution: FlagStatus, *, by: str, now: datetime) -> None:
    flag.resolution, flag.resolved_by, flag.resolved_at = resolution.value, by, now
    await session.flush()


async def settle_merged(session: AsyncSession, keep_id: int, duplicate_id: int, *, by: str, now: datetime) -> None:
    """A merge settles the open flags between the two complaints, whichever way round they were raised."""
    pair = or_(and_(DuplicateFlag.complaint_id == keep_id, DuplicateFlag.duplicate_of_id == duplicate_id),
               and_(DuplicateFlag.complaint_id == duplicate_id, DuplicateFlag.duplicate_of_id == keep_id))
    await session.execute(
        update(DuplicateFlag).where(pair, DuplicateFlag.resolved_at.is_(None))
        .values(resolution=FlagStatus.MERGED.value, resolved_by=by, resolved_at=now)
        .execution_options(synchronize_session=False)
    )
