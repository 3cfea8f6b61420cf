"""The write side of the API: role rules, lifecycle, timeline and outbox, in one transaction.

Each mutation resolver follows the same steps inside ``ctx.write()``: find
the complaint (a merged duplicate finds the kept one), check who may act
(:mod:`hub.domain.actions`), apply the action (the lifecycle table refuses an
illegal one), and write an outbox row for the region that handles the
complaint. Any refusal raises a :class:`MutationFailure`, which rolls the
transaction back, so a refused mutation changes nothing; the schema turns it
into a typed result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hub.domain import global_ids, redaction
from hub.domain.access import ComplaintFacts, can_see
from hub.domain.actions import Deed, may_merge, refusal, submit_deed
from hub.domain.changes import (
    AddDetailChange,
    CommentChange,
    DispositionChange,
    FollowUpChange,
    OutboundChange,
    PostponeChange,
    RateChange,
    RejectChange,
    ReopenChange,
    ReporterContact,
    ResolveChange,
    ReturnChange,
    SubmitChange,
    VerifyChange,
    WithdrawChange,
)
from hub.domain.lifecycle import Action, IllegalTransition
from hub.domain.notices import notice_of_change
from hub.domain.vocabulary import Channel, ComplaintType, EventKind, Privacy, Role, Status
from hub.files.prepare import PreparedFile
from hub.resolvers.access_log import CONFIDENTIAL, note
from hub.resolvers.attachments import AttachmentRefused, Keeper, keeping, read_uploads, region_links
from hub.resolvers.context import Context
from hub.resolvers.failures import Illegal, Invalid, Missing, Refused, key_of
from hub.store import lifecycle_writes as writes
from hub.store.change_feed import announce, complaint_changed
from hub.store.complaint_writes import NATIONAL_SYSTEM, NewComplaint, NewReporter, record_complaint, submission_event
from hub.store.duplicate_flags import flag_duplicates
from hub.store.keyset import KeysetPage, PageRequest
from hub.store.models import Agency, Attachment, Category, Complaint, Region, TimelineEvent
from hub.store.notices import record_notice
from hub.store.outbox_models import OutboxRow, OutboxStatus, OutboxTarget
from hub.store.outbox_writes import enqueue
from hub.store.reporter_codes import keep_code
from hub.store.types import utcnow

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

TRACKING = re.compile(r"^LPR-\d{4}-\d{7}$")


ChangeFactory = Callable[[dict[str, Any], dict[str, Any]], OutboundChange]  # (common fields, details) -> change


@dataclass(frozen=True, slots=True)
class Step:
    """What an action leaves behind besides the status: event kind, text, and the change the region must hear."""

    deed: Deed
    action: Action | None
    change: ChangeFactory
    kind: EventKind = EventKind.STATUS_CHANGED


def facts_of(complaint: Complaint) -> ComplaintFacts:
    return ComplaintFacts(region_code=complaint.region_code, privacy=complaint.privacy,
                          agency_id=complaint.agency_id, reporter_id=complaint.reporter_id, id=complaint.id)


def actor_of(ctx: Context) -> writes.Actor:
    viewer = ctx.viewer
    return writes.Actor(name=viewer.subject or viewer.role.value.lower(), role=viewer.role)


async def load(session: AsyncSession, ctx: Context, ref: str, *, field: str = "id") -> Complaint:
    """The complaint named by a global id or a tracking id, if the caller may know it exists."""
    ref = (ref or "").strip()
    if TRACKING.match(ref):
        complaint = await writes.find_complaint(session, tracking_id=ref)
    else:
        node = global_ids.decode(ref, "Complaint")
        if node is None:
            raise Invalid(f"`{field}` must be a complaint id or a tracking id such as LPR-2025-0000123", field)
        complaint = await writes.find_complaint(session, complaint_id=node)
    if complaint is None or not can_see(ctx.viewer, facts_of(complaint)):
        raise Missing(f"no complaint {ref} that you may see")
    if complaint.privacy is Privacy.CONFIDENTIAL:
        note(ctx, complaint.id, CONFIDENTIAL)  # staff acting on a confidential complaint read it
    await writes.lock(session, complaint)
    return complaint


def check(ctx: Context, deed: Deed, complaint: Complaint | None = None, *, region_code: str | None = None) -> None:
    refused = refusal(ctx.viewer, deed, facts_of(complaint) if complaint else None, region_code=region_code)
    if refused is not None:
        raise Refused(refused.message, refused.allowed)


def _text(value: str | None, field: str, *, required: bool, limit: int = 5000) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise Invalid(f"`{field}` must not be empty", field)
        return None
    if len(value) > limit:
        raise Invalid(f"`{field}` is longer than {limit} characters", field)
    return value


def push(ctx: Context, session: AsyncSession, complaint: Complaint, change: OutboundChange) -> None:
    """Queue the change for the region that handles the complaint, if that region is connected,
    and the notice of it for the reporter and the webhook subscribers."""
    from hub.sync.outbox import push_target

    tell(ctx, session, complaint, change)
    target = push_target(ctx.sync.registry if ctx.sync is not None else None, complaint.region_code)
    if target is not None:
        enqueue(session, complaint, target, change, now=ctx.now)


def tell(ctx: Context, session: AsyncSession, complaint: Complaint, change: OutboundChange) -> None:
    """Record the notice of ``change``: the reporter and the subscribers who may see it hear of it once."""
    notice = notice_of_change(change, region_code=complaint.region_code, source_system=NATIONAL_SYSTEM,
                              answer_due=complaint.answer_due, answer_days=ctx.settings.sla_reporter_answer_days)
    record_notice(session, complaint, notice, now=ctx.now)


def outbound_actor(ctx: Context, complaint: Complaint, actor: writes.Actor) -> str:
    """The actor as a region may see it: an anonymous or confidential complaint's reporter is never named."""
    return redaction.outbound_actor(actor.name, actor.role, complaint.privacy)


def common_fields(ctx: Context, complaint: Complaint, actor: writes.Actor) -> dict[str, Any]:
    return {"tracking_id": complaint.tracking_id, "occurred_at": ctx.now, "actor": outbound_actor(ctx, complaint, actor),
            "actor_role": actor.role, "status": complaint.status}


def after_commit(ctx: Context) -> None:
    if ctx.dispatcher is not None:
        ctx.dispatcher.kick()


async def act(ctx: Context, ref: str, step: Step, *, text: str | None = None, details: dict[str, Any] | None = None,
              before: Any = None, files: Sequence[PreparedFile] = ()) -> Complaint:
    """Check, transition, record and queue one action on one complaint (with the files it brings)."""
    async with keeping(ctx) as keeper, ctx.write() as session:
        complaint = await load(session, ctx, ref)
        check(ctx, step.deed, complaint)
        if before is not None:  # validates and applies what the action carries; may add text and details
            extra = await before(session, complaint) or {}
            text = extra.get("text", text)
            details = {**(details or {}), **extra.get("details", {})}
        actor = actor_of(ctx)
        try:
            if step.action is None:
                if complaint.status.is_final:
                    raise Illegal(current=complaint.status, action=step.deed.name.lower(),
                                  message=f"cannot {step.deed.value} a complaint that is {complaint.status.value}")
                event = await writes.note(session, complaint, step.kind, actor=actor, now=ctx.now, text=text,
                                          details=details)
            else:
                event = await writes.transition(session, complaint, step.action, actor=actor, now=ctx.now,
                                                levels=ctx.settings.service_levels, kind=step.kind, text=text,
                                                details=details)
        except IllegalTransition as exc:
            raise Illegal(exc) from None
        kept = await keep_files(keeper, session, complaint, files, uploaded_by=actor.name, event=event)
        push(ctx, session, complaint, step.change(common_fields(ctx, complaint, actor),
                                                  {**(details or {}), ATTACHED: region_links(ctx, kept)}))
    after_commit(ctx)
    return complaint


ATTACHED = "_attachments"  # the links of the files an action brought, for the change the region is pushed


async def keep_files(keeper: Keeper, session: AsyncSession, complaint: Complaint, files: Sequence[PreparedFile], *,
                     uploaded_by: str, event: TimelineEvent | None) -> list[Attachment]:
    """Store the files an action brought; the timeline event names them."""
    try:
        kept = await keeper.keep(session, complaint, files, uploaded_by=uploaded_by,
                                 event_id=event.id if event is not None else None)
    except AttachmentRefused as exc:
        raise Invalid(str(exc), "attachments") from None
    if kept and event is not None:
        event.details = {**(event.details or {}), "attachment_ids": [row.id for row in kept]}
    return kept


async def uploads(ctx: Context, given: Sequence[object] | None, *, share_location: bool = False) -> list[PreparedFile]:
    """Check uploaded files before anything is written; a refused one refuses the mutation."""
    try:
        return await read_uploads(ctx, given, share_location=share_location)
    except AttachmentRefused as exc:
        raise Invalid(str(exc), "attachments") from None


# -- submit -------------------------------------------------------------------------------------

async def submit(ctx: Context, *, title: str, body: str, region_code: str, type: ComplaintType, privacy: Privacy,
                 channel: Channel, category_code: str | None, address: str | None, latitude: float | None,
                 longitude: float | None, reporter: NewReporter | None,
                 files: Sequence[PreparedFile] = ()) -> tuple[Complaint, str]:
    """File a complaint; with it, the secret code that opens it to whoever filed it (given once, kept as a digest)."""
    viewer = ctx.viewer
    if channel is Channel.REGIONAL_APP:
        raise Invalid("REGIONAL_APP is for complaints that arrive through a connector; pick the channel it came in by",
                      "channel")
    check(ctx, submit_deed(viewer, channel), region_code=region_code)
    title_text = _text(title, "title", required=True, limit=300)
    body_text = _text(body, "body", required=True)
    async with keeping(ctx) as keeper, ctx.write() as session:
        if await session.get(Region, region_code.strip()) is None:
            raise Invalid(f"unknown region code {region_code}; use a Kemendagri code such as 19.71", "regionCode")
        if category_code is not None and await session.get(Category, category_code) is None:
            raise Invalid(f"unknown category code {category_code}", "categoryCode")
        reporter_id = viewer.reporter_id if viewer.role is Role.REPORTER else None
        if reporter_id is None and reporter is None and privacy is not Privacy.ANONYMOUS and channel is not Channel.MANUAL:
            raise Invalid("give the reporter's name and a phone number or email, so the agency can answer",
                          "reporter")
        if reporter is not None and not (reporter.phone or reporter.email) and privacy is not Privacy.ANONYMOUS:
            raise Invalid("give the reporter's phone number or email", "reporter.phone")
        manual = channel is Channel.MANUAL
        actor = viewer.subject if manual and viewer.subject else ((reporter.name if reporter else None) or "pelapor")
        complaint = await record_complaint(session, NewComplaint(
            title=title_text or "", body=body_text or "", region_code=region_code.strip(), type=type, privacy=privacy,
            channel=channel, category_code=category_code, address=address, latitude=latitude, longitude=longitude,
            reporter=None if reporter_id is not None else reporter, reporter_id=reporter_id, submitted_at=ctx.now,
            actor=actor,
        ), levels=ctx.settings.service_levels, now=ctx.now)
        await flag_duplicates(session, [complaint])  # the same complaint through another door (web, then SMS)
        code = await keep_code(session, complaint.id, now=ctx.now)
        submitted = await submission_event(session, complaint.id)
        if manual and submitted is not None:
            submitted.actor_role = viewer.role
            submitted.details = {"entered_by": actor, "channel": Channel.MANUAL.value}
        kept = await keep_files(keeper, session, complaint, files, uploaded_by=actor, event=submitted)
        await announce(session, complaint_changed(complaint.id, complaint.region_code))
        category = await session.get(Category, complaint.category_code) if complaint.category_code else None
        contact = None
        if reporter is not None and complaint.privacy is not Privacy.ANONYMOUS:
            contact = ReporterContact(name=reporter.name, phone=reporter.phone, email=reporter.email)
        submitter = writes.Actor(name=actor, role=viewer.role if manual else Role.REPORTER)
        push(ctx, session, complaint, SubmitChange(
            **common_fields(ctx, complaint, submitter), title=complaint.title, body=complaint.body, type=complaint.type,
            privacy=complaint.privacy, channel=complaint.channel, region_code=complaint.region_code,
            category_code=complaint.category_code, category_name=category.name if category else None,
            address=complaint.address, latitude=complaint.latitude, longitude=complaint.longitude, reporter=contact,
            attachments=region_links(ctx, kept),
        ))
    after_commit(ctx)
    return complaint, code


# -- actions ------------------------------------------------------------------------------------

async def verify(ctx: Context, ref: str) -> Complaint:
    return await act(ctx, ref, Step(Deed.VERIFY, Action.VERIFY, lambda common, _: VerifyChange(**common)))


async def reject(ctx: Context, ref: str, reason: str) -> Complaint:
    text = _text(reason, "reason", required=True) or ""
    return await act(ctx, ref, Step(Deed.REJECT, Action.REJECT, lambda common, _: RejectChange(**common, reason=text)),
                     text=text)


async def postpone(ctx: Context, ref: str, reason: str) -> Complaint:
    text = _text(reason, "reason", required=True) or ""
    step = Step(Deed.POSTPONE, Action.POSTPONE, lambda common, _: PostponeChange(**common, reason=text))
    return await act(ctx, ref, step, text=text)


async def disposition(ctx: Context, ref: str, agency_ref: str) -> Complaint:
    agency_id = key_of(agency_ref, "Agency", "agencyId")

    async def assign(session: AsyncSession, complaint: Complaint) -> dict[str, Any]:
        agency = await session.get(Agency, agency_id)
        if agency is None:
            raise Invalid(f"no agency {agency_id}", "agencyId")
        if agency.region_code != complaint.region_code:
            raise Invalid(f"agency {agency.name} belongs to region {agency.region_code}, not to the complaint's "
                          f"region {complaint.region_code}", "agencyId")
        complaint.agency_id = agency.id
        return {"text": f"Didisposisikan ke {agency.name}", "details": {"agency_id": agency.id, "agency": agency.name}}

    def change(common: dict[str, Any], details: dict[str, Any]) -> OutboundChange:
        return DispositionChange(**common, agency_id=details["agency_id"], agency_name=details["agency"])

    return await act(ctx, ref, Step(Deed.DISPOSITION, Action.DISPOSITION, change, EventKind.DISPOSITION), before=assign)


async def not_our_authority(ctx: Context, ref: str, reason: str) -> Complaint:
    text = _text(reason, "reason", required=True) or ""

    async def release(session: AsyncSession, complaint: Complaint) -> dict[str, Any]:
        handed_back = await session.get(Agency, complaint.agency_id) if complaint.agency_id is not None else None
        complaint.agency_id = None
        return {"details": {"agency_id": handed_back.id if handed_back else None,
                            "agency": handed_back.name if handed_back else None}}

    def change(common: dict[str, Any], details: dict[str, Any]) -> OutboundChange:
        return ReturnChange(**common, reason=text, agency_id=details.get("agency_id"), agency_name=details.get("agency"))

    return await act(ctx, ref, Step(Deed.NOT_OUR_AUTHORITY, Action.NOT_OUR_AUTHORITY, change), text=text, before=release)


async def add_follow_up(ctx: Context, ref: str, text: str, files: Sequence[PreparedFile] = ()) -> Complaint:
    """Staff follow up (tindak lanjut); the reporter comments, or adds detail to a postponed complaint.

    Files (photos of the work done, a letter) are kept on the complaint and named by the event.
    """
    body = _text(text, "text", required=True) or ""
    async with ctx.write() as session:
        complaint = await load(session, ctx, ref)
        own = ctx.viewer.role is Role.REPORTER and ctx.viewer.reporter_id == complaint.reporter_id
        status = complaint.status
    if own and status is Status.POSTPONED:
        detail = Step(Deed.ADD_DETAIL, Action.ADD_DETAIL, lambda common, _: AddDetailChange(**common, text=body),
                      EventKind.COMMENT)
        return await act(ctx, ref, detail, text=body, files=files)
    if ctx.viewer.role in (Role.PUBLIC, Role.REPORTER):
        comment = Step(Deed.COMMENT, None, lambda common, _: CommentChange(**common, text=body), EventKind.COMMENT)
        return await act(ctx, ref, comment, text=body, files=files)
    follow_up = Step(Deed.FOLLOW_UP, Action.FOLLOW_UP,
                     lambda common, details: FollowUpChange(**common, text=body, attachments=details[ATTACHED]),
                     EventKind.FOLLOW_UP)
    return await act(ctx, ref, follow_up, text=body, files=files)


async def resolve(ctx: Context, ref: str, text: str | None) -> Complaint:
    words = _text(text, "text", required=False)
    step = Step(Deed.RESOLVE, Action.RESOLVE, lambda common, _: ResolveChange(**common, text=words))
    return await act(ctx, ref, step, text=words)


async def rate(ctx: Context, ref: str, stars: int, comment: str | None) -> Complaint:
    if not 1 <= stars <= 5:
        raise Invalid(f"`stars` must be between 1 and 5, got {stars}", "stars")
    words = _text(comment, "comment", required=False, limit=2000)

    async def keep(session: AsyncSession, complaint: Complaint) -> None:
        complaint.rating, complaint.rating_comment = stars, words

    step = Step(Deed.RATE, Action.CLOSE, lambda common, _: RateChange(**common, stars=stars, comment=words),
                EventKind.RATING)
    return await act(ctx, ref, step, text=words, details={"stars": stars}, before=keep)


async def reopen(ctx: Context, ref: str, reason: str | None) -> Complaint:
    words = _text(reason, "reason", required=False)
    step = Step(Deed.REOPEN, Action.REOPEN, lambda common, _: ReopenChange(**common, reason=words))
    return await act(ctx, ref, step, text=words)


async def withdraw(ctx: Context, ref: str, reason: str | None) -> Complaint:
    words = _text(reason, "reason", required=False)
    step = Step(Deed.WITHDRAW, Action.WITHDRAW, lambda common, _: WithdrawChange(**common, reason=words))
    return await act(ctx, ref, step, text=words)


async def merge(ctx: Context, keep_ref: str, duplicate_ref: str) -> Complaint:
    async with ctx.write() as session:
        keep = await load(session, ctx, keep_ref, field="keep")
        duplicate = await load(session, ctx, duplicate_ref, field="duplicate")
        if not may_merge(ctx.viewer, facts_of(keep), facts_of(duplicate)):
            check(ctx, Deed.MERGE, keep)
            check(ctx, Deed.MERGE, duplicate)
        if keep.id == duplicate.id:
            raise Invalid(f"{duplicate_ref} is {keep.tracking_id} itself (or already merged into it)", "duplicate")
        await writes.merge(session, keep, duplicate, actor=actor_of(ctx), now=ctx.now)
    return keep


# -- outbox -------------------------------------------------------------------------------------

async def retry_push(ctx: Context, ref: str) -> OutboxRow:
    row_id = key_of(ref, "OutboxItem")
    check(ctx, Deed.RETRY_PUSH)
    async with ctx.write() as session:
        row = await session.get(OutboxRow, row_id)
        if row is None:
            raise Missing(f"no push {row_id}")
        if row.status is not OutboxStatus.DEAD:
            raise Invalid(f"only a dead push can be retried; push {row_id} is {row.status.value}", "id")
        row.status, row.attempts, row.next_attempt_at = OutboxStatus.PENDING, 0, utcnow()
    after_commit(ctx)
    return row


async def mark_manual_done(ctx: Context, ref: str) -> OutboxRow:
    row_id = key_of(ref, "OutboxItem")
    async with ctx.write() as session:
        row = await session.get(OutboxRow, row_id)
        if row is None or refusal(ctx.viewer, Deed.MANUAL_WORK, region_code=row.region_code) is not None:
            if row is not None and ctx.viewer.is_staff:
                check(ctx, Deed.MANUAL_WORK, region_code=row.region_code)
            raise Missing(f"no manual work item {row_id} that you may see")
        if row.status is not OutboxStatus.MANUAL:
            raise Invalid(f"item {row_id} is {row.status.value}, not manual work waiting to be done", "id")
        row.status, row.delivered_at, row.handled_by = OutboxStatus.DONE, utcnow(), actor_of(ctx).name
    return row


async def outbox_items(ctx: Context, *, region_code: str | None, statuses: tuple[OutboxStatus, ...],
                       page: PageRequest, target: OutboxTarget = OutboxTarget.REGION) -> KeysetPage[OutboxRow]:
    """Outbox rows for admins: a national admin sees all, a region admin their regions' pushes.

    Messages to reporters carry their addresses, so only a national admin lists them.
    """
    from hub.resolvers.errors import NotAllowed
    from hub.resolvers.paging import read_page
    from hub.store.outbox_writes import list_outbox

    viewer = ctx.viewer
    if target is not OutboxTarget.REGION and viewer.role is not Role.NATIONAL_ADMIN:
        raise NotAllowed("only national admins list notifications in the outbox; webhook deliveries are listed "
                         "under webhookSubscriptions by their managers")
    if region_code is not None:
        refused = refusal(viewer, Deed.MANUAL_WORK, region_code=region_code)
        if refused is not None:
            raise NotAllowed(refused.message)
    elif viewer.role not in (Role.NATIONAL_ADMIN, Role.REGION_ADMIN):
        raise NotAllowed("only national and region admins may see the outbox and manual work")
    return await read_page(ctx, list_outbox, viewer, region_code=region_code, statuses=statuses, page=page,
                           target=target)
