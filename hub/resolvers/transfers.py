"""transferComplaint: move a complaint to another region (pelimpahan).

Who: a national admin, or an admin of the region that holds it
(``Deed.TRANSFER``, the one role rule). What reaches the regions, in the
same transaction as the move (:mod:`hub.store.transfers`):

- the receiving region's app gets the complaint as a submission
  (``SubmitChange``, through its connector; manual work where it takes no
  writes);
- the giving region's app hears a ``TransferChange`` whose ``status`` is
  what its copy becomes: ``WITHDRAWN``, the word every regional vocabulary
  has for a complaint that left its lifecycle. Its copy is left behind, so
  its later pulls no longer move the complaint;
- when one app serves both regions (a province-wide app), it hears one
  ``TransferChange`` and keeps its copy.

The reporter and the webhook subscribers hear one ``TransferredNotice``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from hub.domain.actions import Deed
from hub.domain.changes import ReporterContact, SubmitChange, TransferChange
from hub.domain.lifecycle import IllegalTransition
from hub.domain.vocabulary import Privacy, Status
from hub.resolvers.attachments import region_links
from hub.resolvers.context import Context
from hub.resolvers.failures import Illegal, Invalid
from hub.resolvers.mutations import _text, actor_of, after_commit, check, common_fields, load, tell
from hub.store.attachments import kept_files_of
from hub.store.models import Category, Complaint, Region, Reporter
from hub.store.outbox_writes import enqueue
from hub.store.transfers import leave_copies, transfer

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


async def transfer_complaint(ctx: Context, ref: str, region_code: str, reason: str) -> Complaint:
    from hub.sync.outbox import push_target

    text = _text(reason, "reason", required=True) or ""
    code = (region_code or "").strip()
    async with ctx.write() as session:
        complaint = await load(session, ctx, ref)
        check(ctx, Deed.TRANSFER, complaint)
        receiving = await session.get(Region, code)
        if receiving is None:
            raise Invalid(f"unknown region code {region_code}; use a Kemendagri code such as 61.71", "regionCode")
        if receiving.code == complaint.region_code:
            raise Invalid(f"{complaint.tracking_id} is already in region {receiving.code}", "regionCode")
        registry = ctx.sync.registry if ctx.sync is not None else None
        giving_code = complaint.region_code
        giving_target, receiving_target = push_target(registry, giving_code), push_target(registry, receiving.code)
        actor = actor_of(ctx)
        try:
            await transfer(session, complaint, receiving, reason=text, actor=actor, now=ctx.now,
                           levels=ctx.settings.service_levels)
        except IllegalTransition as exc:
            raise Illegal(exc) from None
        change = TransferChange(**common_fields(ctx, complaint, actor), from_region_code=giving_code,
                                to_region_code=receiving.code, reason=text)
        tell(ctx, session, complaint, change)
        if (giving_target is not None and receiving_target is not None
                and giving_target.source_system == receiving_target.source_system):
            enqueue(session, complaint, receiving_target, change, now=ctx.now)
        else:
            if giving_target is not None:
                await leave_copies(session, complaint.id, giving_target.source_system, now=ctx.now)
                enqueue(session, complaint, giving_target, replace(change, status=Status.WITHDRAWN), now=ctx.now)
            if receiving_target is not None:
                submission = await _submission(ctx, session, complaint, common_fields(ctx, complaint, actor))
                enqueue(session, complaint, receiving_target, submission, now=ctx.now)
    after_commit(ctx)
    return complaint


async def _submission(ctx: Context, session: AsyncSession, complaint: Complaint, common: dict[str, Any]) -> SubmitChange:
    """The complaint as the receiving region's app files it: content, category, reporter, files."""
    category = await session.get(Category, complaint.category_code) if complaint.category_code else None
    contact = None
    if complaint.reporter_id is not None and complaint.privacy is not Privacy.ANONYMOUS:
        reporter = await session.get(Reporter, complaint.reporter_id)
        if reporter is not None:
            contact = ReporterContact(name=reporter.name, phone=reporter.phone, email=reporter.email)
    files = await kept_files_of(session, complaint.id)
    return SubmitChange(
        **common, title=complaint.title, body=complaint.body, type=complaint.type, privacy=complaint.privacy,
        channel=complaint.channel, region_code=complaint.region_code, category_code=complaint.category_code,
        category_name=category.name if category else None, address=complaint.address, latitude=complaint.latitude,
        longitude=complaint.longitude, reporter=contact, attachments=region_links(ctx, files),
    )
