"""The Mutation type: submit and act on complaints, merge duplicates, retry pushes."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload

from hub.domain import vocabulary
from hub.domain.bounds import BOUNDS, LATITUDE, LONGITUDE, bounded
from hub.resolvers import mutations as m
from hub.resolvers import transfers
from hub.resolvers.failures import MutationFailure
from hub.resolvers.paging import page_request
from hub.schema.periods import ANSWER_DAYS
from hub.schema.types.complaint import Complaint
from hub.schema.types.enums import Channel, ComplaintType, Privacy
from hub.schema.types.pages import AFTER, BEFORE, DEFAULT_PAGE, FIRST, LAST, MAX_PAGE, Connection
from hub.schema.types.results import (
    ComplaintPayload,
    ComplaintResult,
    OutboxItem,
    OutboxItemPayload,
    OutboxResult,
    OutboxStatus,
    error_of,
    error_outside_lifecycle,
)
from hub.store.complaint_writes import NewReporter
from hub.store.models import Complaint as ComplaintRow
from hub.store.outbox_models import OutboxRow
from hub.store.outbox_models import OutboxStatus as OutboxStatusValue
from hub.store.outbox_models import OutboxTarget as OutboxTargetValue

OutboxTarget = OutboxTargetValue
strawberry.enum(OutboxTarget, name="OutboxTarget",
                               description="Who a row is for: a regional app, or a notification channel")


@strawberry.input(description="Who filed the complaint; optional for an anonymous one")
class SubmitComplaintReporterInput:
    name: str | None = strawberry.field(
        default=None, description="The reporter's name, up to 200 characters",
        metadata=bounded(200))
    phone: str | None = strawberry.field(
        default=None, description="The reporter's phone number, up to 40 characters",
        metadata=bounded(40))
    email: str | None = strawberry.field(
        default=None, description="The reporter's e-mail address, up to 200 characters",
        metadata=bounded(200))


@strawberry.input(description="A new complaint (laporan) as its reporter files it")
class SubmitComplaintInput:
    title: str = strawberry.field(description="A short title (judul), up to 300 characters", metadata=bounded(300))
    body: str = strawberry.field(description="What happened, in the reporter's words (isi laporan)")
    region_code: str = strawberry.field(description="The region the complaint concerns, e.g. 19.71",
                                        metadata=bounded(8))
    type: ComplaintType = strawberry.field(
        default=vocabulary.ComplaintType.COMPLAINT,
        description="Pengaduan (the default), aspirasi or permintaan informasi")
    privacy: Privacy = strawberry.field(
        default=vocabulary.Privacy.PUBLIC,
        description="PUBLIC by default; ANONYMOUS withholds the reporter, CONFIDENTIAL the whole complaint "
                    "from all but the reporter and the staff handling it")
    channel: Channel = strawberry.field(default=vocabulary.Channel.WEB, description="How it arrived; WEB by default")
    category_code: str | None = strawberry.field(
        default=None, description="The national category code, when the reporter knows it",
        metadata=bounded(40))
    address: str | None = strawberry.field(
        default=None, description="Where the matter is, up to 400 characters",
        metadata=bounded(400))
    latitude: float | None = strawberry.field(default=None, description="Inside Indonesia, -11 to 6.5",
                                              metadata={BOUNDS: LATITUDE})
    longitude: float | None = strawberry.field(default=None, description="Inside Indonesia, 94 to 141.5",
                                               metadata={BOUNDS: LONGITUDE})
    reporter: SubmitComplaintReporterInput | None = strawberry.field(
        default=None, description="Who files it; may be left out of an anonymous complaint")
    attachments: list[Upload] | None = strawberry.field(
        default=None, description="Photos (JPEG, PNG, WebP) and PDF documents, by the GraphQL multipart request spec")
    share_location: bool = strawberry.field(
        default=False, description="Keep where the photos were taken (their GPS EXIF); otherwise it is removed")


async def _complaint(call: Awaitable[ComplaintRow]) -> ComplaintResult:
    try:
        return ComplaintPayload(complaint=Complaint.of(await call))
    except MutationFailure as failure:
        return error_of(failure)


async def _outbox(call: Awaitable[OutboxRow]) -> OutboxResult:
    try:
        return OutboxItemPayload(item=OutboxItem.of(await call))
    except MutationFailure as failure:
        return error_outside_lifecycle(failure)


ID = strawberry.argument(description="The complaint's global id, or its tracking id")


@strawberry.type
class ComplaintMutation:
    @strawberry.mutation(description="File a complaint; it goes to the region it concerns, whatever door it came through")
    async def submit_complaint(self, info: strawberry.Info, input: SubmitComplaintInput) -> ComplaintResult:
        given = input.reporter
        reporter = NewReporter(name=given.name, phone=given.phone, email=given.email) if given else None

        try:
            files = await m.uploads(info.context, input.attachments, share_location=input.share_location)
            complaint, code = await m.submit(
                info.context, title=input.title, body=input.body, region_code=input.region_code, type=input.type,
                privacy=input.privacy, channel=input.channel, category_code=input.category_code,
                address=input.address, latitude=input.latitude, longitude=input.longitude, reporter=reporter,
                files=files,
            )
        except MutationFailure as failure:
            return error_of(failure)
        return ComplaintPayload(complaint=Complaint.of(complaint), secret_code=code)

    @strawberry.mutation(description="Verify a submitted complaint (region admin)")
    async def verify_complaint(self, info: strawberry.Info, id: strawberry.ID) -> ComplaintResult:
        return await _complaint(m.verify(info.context, id))

    @strawberry.mutation(description="Reject a submitted complaint, with the reason the reporter will read")
    async def reject_complaint(self, info: strawberry.Info, id: strawberry.ID, reason: str) -> ComplaintResult:
        return await _complaint(m.reject(info.context, id, reason))

    @strawberry.mutation(description="Postpone (tunda): ask the reporter for more detail; the verify clock pauses")
    async def postpone_complaint(self, info: strawberry.Info, id: strawberry.ID, reason: str) -> ComplaintResult:
        return await _complaint(m.postpone(info.context, id, reason))

    @strawberry.mutation(description="Disposition a verified complaint to an agency of its region")
    async def disposition_complaint(self, info: strawberry.Info, id: strawberry.ID,
                                    agency_id: strawberry.ID) -> ComplaintResult:
        return await _complaint(m.disposition(info.context, id, agency_id))

    @strawberry.mutation(description="Not our authority (bukan wewenang): the agency hands the complaint back")
    async def return_complaint(self, info: strawberry.Info, id: strawberry.ID, reason: str) -> ComplaintResult:
        return await _complaint(m.not_our_authority(info.context, id, reason))

    @strawberry.mutation(description="Transfer (pelimpahan) a complaint to another region: it is submitted there and "
                                     "closed as transferred in the region that held it (national admin, or an admin "
                                     "of that region)")
    async def transfer_complaint(self, info: strawberry.Info, id: strawberry.ID, region_code: str,
                                 reason: str) -> ComplaintResult:
        return await _complaint(transfers.transfer_complaint(info.context, id, region_code, reason))

    @strawberry.mutation(description="A follow-up (tindak lanjut) by staff; a comment, or added detail, by the reporter")
    async def add_follow_up(self, info: strawberry.Info, id: strawberry.ID, text: str,
                            attachments: list[Upload] | None = None, share_location: bool = False) -> ComplaintResult:
        async def follow_up() -> ComplaintRow:
            files = await m.uploads(info.context, attachments, share_location=share_location)
            return await m.add_follow_up(info.context, id, text, files)

        return await _complaint(follow_up())

    @strawberry.mutation(description=f"Mark a complaint resolved; the reporter then has {ANSWER_DAYS} working days "
                                     "to answer")
    async def resolve_complaint(self, info: strawberry.Info, id: strawberry.ID, text: str | None = None) -> ComplaintResult:
        return await _complaint(m.resolve(info.context, id, text))

    @strawberry.mutation(description="The reporter rates the resolution (1-5 stars), which closes the complaint")
    async def rate_complaint(self, info: strawberry.Info, id: strawberry.ID, stars: int,
                             comment: str | None = None) -> ComplaintResult:
        return await _complaint(m.rate(info.context, id, stars, comment))

    @strawberry.mutation(description="The reporter answers that the resolution is not satisfactory")
    async def reopen_complaint(self, info: strawberry.Info, id: strawberry.ID, reason: str | None = None) -> ComplaintResult:
        return await _complaint(m.reopen(info.context, id, reason))

    @strawberry.mutation(description="Withdraw a complaint (its reporter, or its region)")
    async def withdraw_complaint(self, info: strawberry.Info, id: strawberry.ID,
                                 reason: str | None = None) -> ComplaintResult:
        return await _complaint(m.withdraw(info.context, id, reason))

    @strawberry.mutation(description="Merge a duplicate into the complaint kept; the duplicate's tracking id still finds it")
    async def merge_complaints(self, info: strawberry.Info, keep: strawberry.ID, duplicate: strawberry.ID) -> ComplaintResult:
        return await _complaint(m.merge(info.context, keep, duplicate))

    @strawberry.mutation(description="Send a dead push again (national admin)")
    async def retry_push(self, info: strawberry.Info, id: strawberry.ID) -> OutboxResult:
        return await _outbox(m.retry_push(info.context, id))

    @strawberry.mutation(description="Mark a manual work item done once typed into the regional app")
    async def mark_manual_work_done(self, info: strawberry.Info, id: strawberry.ID) -> OutboxResult:
        return await _outbox(m.mark_manual_done(info.context, id))


@strawberry.type
class OutboxQuery:
    @strawberry.field(description="Changes waiting to be typed into a region's app that accepts no writes (admins)")
    async def manual_work(self, info: strawberry.Info, region_code: str | None = None,
                          first: Annotated[int | None, FIRST] = None, after: Annotated[str | None, AFTER] = None,
                          last: Annotated[int | None, LAST] = None,
                          before: Annotated[str | None, BEFORE] = None) -> Connection[OutboxItem]:
        page = page_request(first=first, after=after, last=last, before=before, default=DEFAULT_PAGE, cap=MAX_PAGE)
        found = await m.outbox_items(info.context, region_code=region_code, statuses=(OutboxStatusValue.MANUAL,),
                                     page=page)
        return Connection.of(found, OutboxItem.of)

    @strawberry.field(description="The outbox, newest first: pushes to regions (admins), or a notification "
                                  "channel's messages (national admins)")
    async def outbox(self, info: strawberry.Info, region_code: str | None = None, status: OutboxStatus | None = None,
                     target: OutboxTarget = OutboxTargetValue.REGION, first: Annotated[int | None, FIRST] = None,
                     after: Annotated[str | None, AFTER] = None, last: Annotated[int | None, LAST] = None,
                     before: Annotated[str | None, BEFORE] = None) -> Connection[OutboxItem]:
        page = page_request(first=first, after=after, last=last, before=before, default=DEFAULT_PAGE, cap=MAX_PAGE)
        found = await m.outbox_items(info.context, region_code=region_code, statuses=(status,) if status else (),
                                     page=page, target=target)
        return Connection.of(found, OutboxItem.of)
