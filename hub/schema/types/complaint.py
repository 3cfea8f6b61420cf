"""The Complaint type: the national record of one laporan as a caller may see it.

A Complaint wraps either a :class:`~hub.store.complaint_reads.ComplaintRow`
(read for a page with the relations the request selected: its fields resolve
synchronously from what was fetched) or an ORM row (after a mutation, from a
federation reference): then relations come through the request's DataLoaders.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry.federation
from strawberry import relay

from hub.domain import global_ids
from hub.domain.access import HIDDEN_REPORTER, ComplaintFacts, can_see_reporter
from hub.domain.bounds import row_key
from hub.domain.redaction import redact_text
from hub.domain.sla import breaches
from hub.domain.vocabulary import Privacy as PrivacyValue
from hub.domain.vocabulary import Role as RoleValue
from hub.resolvers.access_log import CONFIDENTIAL, REPORTER, TIMELINE_ACTOR, note
from hub.resolvers.errors import BadInput
from hub.resolvers.selection import MAX_TIMELINE
from hub.schema.periods import ANSWER_DAYS, FOLLOW_UP_DAYS, RESOLVE_DAYS, VERIFY_DAYS
from hub.schema.types.enums import Channel, ComplaintStatus, ComplaintType, EscalationLevel, Privacy
from hub.schema.types.region import Agency, Category, Region
from hub.schema.types.timeline import ComplaintSource, Reporter, TimelineEvent
from hub.store import models
from hub.store.read_rows import ComplaintRow, EventRow

if TYPE_CHECKING:
    from hub.schema.types.attachment import Attachment

_COPIED = (
    "tracking_id", "title", "body", "type", "privacy", "channel", "status", "region_code", "address", "latitude",
    "longitude", "created_at", "updated_at", "verified_at", "dispositioned_at", "first_follow_up_at", "resolved_at",
    "closed_at", "verify_due", "follow_up_due", "resolve_due", "answer_due", "rating", "rating_comment",
    "escalation_level",
)


@strawberry.federation.type(keys=["id"], description="A complaint (laporan) in the national record.")
class Complaint(relay.Node):
    id: relay.NodeID[int]
    row: strawberry.Private[ComplaintRow | models.Complaint]
    tracking_id: str = strawberry.field(
        description="National tracking id, e.g. LPR-2025-0000123")
    title: str = strawberry.field(description="The complaint's title (judul), as the reporter wrote it")
    body: str = strawberry.field(description="What the reporter wrote (isi laporan)")
    type: ComplaintType = strawberry.field(description="Pengaduan, aspirasi or permintaan informasi")
    privacy: Privacy = strawberry.field(description="Who may read it and who may see its reporter")
    channel: Channel = strawberry.field(description="How it arrived")
    status: ComplaintStatus = strawberry.field(description="Where it stands in the national workflow")
    region_code: str = strawberry.field(description="Kemendagri code of the region it concerns, e.g. 61.71")
    address: str | None = strawberry.field(
        description="Where the matter is, in the reporter's words; null when not given")
    latitude: float | None = strawberry.field(
        description="Latitude of the matter in degrees (WGS 84); null when not given")
    longitude: float | None = strawberry.field(
        description="Longitude of the matter in degrees (WGS 84); null when not given")
    created_at: datetime = strawberry.field(description="When it was submitted (UTC)")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC)")
    verified_at: datetime | None = strawberry.field(description="When it was verified (UTC); null until then")
    dispositioned_at: datetime | None = strawberry.field(
        description="When it was dispositioned (disposisi) to an agency (UTC); null until then")
    first_follow_up_at: datetime | None = strawberry.field(
        description="When the agency first followed it up (tindak lanjut) (UTC); null until then")
    resolved_at: datetime | None = strawberry.field(
        description="When the agency marked it resolved (UTC); null until then")
    closed_at: datetime | None = strawberry.field(
        description="When it left the open lifecycle (UTC): closed (selesai), rejected, withdrawn or archived; "
                    "null while open")
    verify_due: datetime = strawberry.field(
        description=f"Verification due (UTC): {VERIFY_DAYS} working days after submission, "
                    "plus any postponement (tunda)")
    follow_up_due: datetime | None = strawberry.field(
        description=f"First follow-up due (UTC): {FOLLOW_UP_DAYS} working days after disposition")
    resolve_due: datetime = strawberry.field(
        description=f"Resolution due (UTC): the category's working days after submission, else {RESOLVE_DAYS}, "
                    "plus any postponement (tunda)")
    answer_due: datetime | None = strawberry.field(
        description=f"Reporter's answer to the resolution due (UTC): {ANSWER_DAYS} working days after it")
    rating: int | None = strawberry.field(description="The reporter's rating, 1 to 5 stars")
    rating_comment: str | None = strawberry.field(
        description="What the reporter wrote with their rating; null without one")
    escalation_level: EscalationLevel = strawberry.field(
        description="How far a breached deadline nobody met has climbed: NONE, REGION (the region's admin), "
                    "NATIONAL; back to NONE once the complaint moves on")

    @classmethod
    def of(cls, row: ComplaintRow | models.Complaint) -> Complaint:
        """Plain fields are copied once; only relations and derived values have resolvers."""
        copied: dict[str, Any]
        if isinstance(row, ComplaintRow):
            copied = {name: row.values.get(name) for name in _COPIED}
        else:
            copied = {name: getattr(row, name) for name in _COPIED}
        return cls(id=row.id, row=row, **copied)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # one signature for relay's overloads
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Complaint | None]:
        keys = [row_key(node_id) for node_id in node_ids]
        if None in keys:
            raise BadInput("node id does not name a complaint")
        rows = await info.context.loaders.complaint.load_many(keys)
        return [cls.of(_noted(info, row)) if row else None for row in rows]

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info, id: str) -> Complaint | None:
        """A federation reference, resolved through the scoped loader like ``node(id)``."""
        key = global_ids.decode(id, "Complaint")
        if key is None:
            return None
        row = await info.context.loaders.complaint.load(key)
        return cls.of(_noted(info, row)) if row else None

    def _facts(self) -> ComplaintFacts:
        r = self.row
        if isinstance(r, ComplaintRow):
            return r.facts
        return ComplaintFacts(region_code=r.region_code, privacy=r.privacy, agency_id=r.agency_id, reporter_id=r.reporter_id,
                              id=r.id)

    def _fetched(self) -> ComplaintRow | None:
        return self.row if isinstance(self.row, ComplaintRow) else None

    # Relations resolve synchronously from a fetched row; otherwise they hand
    # graphql-core an awaitable from the request's DataLoaders.

    @strawberry.field(description="The region it concerns")
    def region(self, info: strawberry.Info) -> Region:
        fetched = self._fetched()
        if fetched is not None and fetched.region is not None:
            return Region.of(fetched.region)
        return _later(_region(info, self.region_code))

    @strawberry.field(description="The agency it is dispositioned to; null before disposition")
    def agency(self, info: strawberry.Info) -> Agency | None:
        fetched = self._fetched()
        if fetched is not None and fetched.selection.agency:
            return Agency.of(fetched.agency) if fetched.agency else None
        agency_id = self.row.agency_id if fetched is None else fetched.values["agency_id"]
        if agency_id is None:
            return None
        return _later(_agency(info, agency_id))

    @strawberry.field(description="Its national category (kategori); null when not yet categorised")
    def category(self, info: strawberry.Info) -> Category | None:
        fetched = self._fetched()
        if fetched is not None and fetched.selection.category:
            return Category.of(fetched.category) if fetched.category else None
        code = self.row.category_code if fetched is None else fetched.values["category_code"]
        if code is None:
            return None
        return _later(_category(info, code))

    @strawberry.field(description="Whether the reporter's identity is withheld from you")
    def reporter_hidden(self, info: strawberry.Info) -> bool:
        return not can_see_reporter(info.context.viewer, self._facts())

    @strawberry.field(description="The reporter; null when withheld (anonymous, or not yours to see)")
    def reporter(self, info: strawberry.Info) -> Reporter | None:
        fetched = self._fetched()
        if fetched is not None and fetched.selection.reporter:
            found = fetched.reporter if fetched.reporter_visible else None
            return Reporter(name=found.name, phone=found.phone, email=found.email) if found else None
        facts = self._facts()
        if facts.reporter_id is None or not can_see_reporter(info.context.viewer, facts):
            return None
        return _later(_reporter(info, facts.reporter_id, self.id))

    @strawberry.field(description="Photos and documents (lampiran), each with a short-lived download link")
    async def attachments(self, info: strawberry.Info) -> list[Annotated[
            Attachment, strawberry.lazy("hub.schema.types.attachment")]]:  # noqa: F821
        from hub.schema.types.attachment import attachments_of

        return await attachments_of(info, self.row.id)

    @strawberry.field(description="Verified after `verifyDue`, or still unverified past it (never while POSTPONED)")
    def verify_breached(self, info: strawberry.Info) -> bool:
        return breaches(self.row, info.context.now)[0]

    @strawberry.field(description="First followed up after `followUpDue`, or not yet followed up past it "
                                  "(never while POSTPONED)")
    def follow_up_breached(self, info: strawberry.Info) -> bool:
        return breaches(self.row, info.context.now)[1]

    @strawberry.field(description="Resolved after `resolveDue`, or still unresolved past it (never while POSTPONED)")
    def resolve_breached(self, info: strawberry.Info) -> bool:
        return breaches(self.row, info.context.now)[2]

    @strawberry.field(description="Whether any service-level deadline is breached")
    def sla_breached(self, info: strawberry.Info) -> bool:
        return any(breaches(self.row, info.context.now))

    @strawberry.field(description="Every system that holds a copy, with the complaint's id there")
    def sources(self, info: strawberry.Info) -> list[ComplaintSource]:
        fetched = self._fetched()
        sources = fetched.sources if fetched is not None else None
        if sources is not None:
            return [ComplaintSource.of(row) for row in sources]
        return _later(_sources(info, self.id))

    @strawberry.field(description="Events oldest first; `last: N` gives only the latest N")
    def timeline(self, info: strawberry.Info, last: int | None = None) -> list[TimelineEvent]:
        if last is not None and not 1 <= last <= MAX_TIMELINE:
            raise BadInput(f"`last` must be between 1 and {MAX_TIMELINE}, got {last}", field="last")
        hide = not can_see_reporter(info.context.viewer, self._facts())
        fetched = self._fetched()
        events = fetched.events if fetched is not None and fetched.selection.covers_timeline(last) else None
        if events is not None:
            return timeline_of(events if last is None else events[-last:], hide=hide)
        return _later(_timeline(info, self.id, last, hide))


def timeline_of(rows: Iterable[EventRow | models.TimelineEvent], *, hide: bool) -> list[TimelineEvent]:
    """Events as the caller sees them: where ``hide``, a reporter's name withheld, and their
    words without the phone numbers and e-mail addresses they may hold."""
    return [
        TimelineEvent.of(row, actor=HIDDEN_REPORTER, text=redact_text(row.text) if row.text else None)
        if hide and row.actor_role is RoleValue.REPORTER else TimelineEvent.of(row)
        for row in rows
    ]


def _noted(info: strawberry.Info, row: models.Complaint) -> models.Complaint:
    """A confidential complaint read by staff through a federation reference or a node lookup is logged."""
    if row.privacy is PrivacyValue.CONFIDENTIAL:
        note(info.context, row.id, CONFIDENTIAL)
    return row


def _later(awaitable: Awaitable[Any]) -> Any:
    return awaitable


async def _region(info: strawberry.Info, code: str) -> Region:
    return Region.of(await info.context.loaders.region.load(code))


async def _agency(info: strawberry.Info, agency_id: int) -> Agency | None:
    row = await info.context.loaders.agency.load(agency_id)
    return Agency.of(row) if row else None


async def _category(info: strawberry.Info, code: str) -> Category | None:
    row = await info.context.loaders.category.load(code)
    return Category.of(row) if row else None


async def _reporter(info: strawberry.Info, reporter_id: int, complaint_id: int) -> Reporter | None:
    row = await info.context.loaders.reporter.load(reporter_id)
    if row is None:
        return None
    note(info.context, complaint_id, REPORTER)
    return Reporter(name=row.name, phone=row.phone, email=row.email)


async def _sources(info: strawberry.Info, complaint_id: int) -> list[ComplaintSource]:
    return [ComplaintSource.of(row) for row in await info.context.loaders.sources.load(complaint_id)]


async def _timeline(info: strawberry.Info, complaint_id: int, last: int | None, hide: bool) -> list[TimelineEvent]:
    loaders = info.context.loaders
    rows = await (loaders.recent_events(last) if last else loaders.timeline).load(complaint_id)
    if not hide and any(row.actor_role is RoleValue.REPORTER for row in rows):
        note(info.context, complaint_id, TIMELINE_ACTOR)
    return timeline_of(rows, hide=hide)
