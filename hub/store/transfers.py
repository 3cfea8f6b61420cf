"""Moving a complaint to another region (pelimpahan) in the national record.

A transfer changes the complaint's region, so scope follows it at once (the
one scope rule reads ``region_code``): the receiving region's admins see it,
the giving region's no longer do. The receiving region gets it as a
submission (status ``SUBMITTED``, agency and later milestones cleared; the
clocks still count from the reporter's submission). One ``TRANSFERRED``
event names both regions.

The giving region's app keeps its copy, closed as transferred. That copy is
*left behind* (:func:`leave_copies`): later pulls of it are read but no
longer move the complaint, so the giving region closing its copy never
closes the complaint the receiving region now handles.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domain.lifecycle import Action
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import EventKind
from hub.store.change_feed import announce, complaint_changed
from hub.store.lifecycle_writes import Actor, transition
from hub.store.models import Complaint, ComplaintSource, Region, TimelineEvent


async def transfer(
    session: AsyncSession, complaint: Complaint, to_region: Region, *, reason: str, actor: Actor, now: datetime,
    levels: ServiceLevels,
) -> TimelineEvent:
    """Move ``complaint`` to ``to_region`` (or raise ``IllegalTransition``) and record it on the timeline."""
    giving = await session.get(Region, complaint.region_code)
    from_code = complaint.region_code
    from_name = giving.name if giving is not None else from_code
    complaint.region_code = to_region.code
    complaint.agency_id = None
    event = await transition(
        session, complaint, Action.TRANSFER, actor=actor, now=now, levels=levels, kind=EventKind.TRANSFERRED,
        text=f"Dilimpahkan dari {from_name} ({from_code}) ke {to_region.name} ({to_region.code}): {reason}",
        details={"from_region_code": from_code, "to_region_code": to_region.code, "reason": reason},
    )
    await announce(session, complaint_changed(complaint.id, from_code))  # the giving region hears it left
    return event


async def leave_copies(session: AsyncSession, complaint_id: int, source_system: str, *, now: datetime) -> None:
    """Mark the copies ``source_system`` holds of the complaint as left behind by a transfer."""
    await session.execute(
        update(ComplaintSource)
        .where(ComplaintSource.complaint_id == complaint_id, ComplaintSource.source_system == source_system,
               ComplaintSource.transferred_at.is_(None))
        .values(transferred_at=now)
        .execution_options(synchronize_session=False)
    )
