"""Privacy fields of the Query and Mutation types (merged in hub.schema.build): the access log,
and reporters opening their complaint with its secret code."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from hub.domain import global_ids
from hub.resolvers import access_log, reporter_access
from hub.resolvers.errors import BadInput
from hub.resolvers.failures import Invalid, Missing
from hub.resolvers.paging import page_request
from hub.schema.types.access_log import AccessLogEntry
from hub.schema.types.complaint import Complaint
from hub.schema.types.pages import AFTER, BEFORE, DEFAULT_PAGE, FIRST, LAST, MAX_PAGE, Connection
from hub.schema.types.results import NotFoundError, RateLimitedError, ValidationError


def _complaint_id(given: strawberry.ID | None) -> int | None:
    if given is None:
        return None
    key = global_ids.decode(str(given), "Complaint")
    if key is not None:
        return key
    raise BadInput("`complaintId` must be a complaint's global id", field="complaintId")


@strawberry.type
class PrivacyQuery:
    @strawberry.field(description="Who read reporters' identities and confidential complaints, newest first "
                                  "(national admins); filter by complaint or by viewer")
    async def access_log(self, info: strawberry.Info, complaint_id: strawberry.ID | None = None,
                         viewer: str | None = None, first: Annotated[int | None, FIRST] = None,
                         after: Annotated[str | None, AFTER] = None, last: Annotated[int | None, LAST] = None,
                         before: Annotated[str | None, BEFORE] = None) -> Connection[AccessLogEntry]:
        page = page_request(first=first, after=after, last=last, before=before, default=DEFAULT_PAGE, cap=MAX_PAGE)
        found = await access_log.listed(info.context, complaint_id=_complaint_id(complaint_id), viewer=viewer,
                                        page=page)
        return Connection.of(found, AccessLogEntry.of)


@strawberry.type(description="A short-lived REPORTER token that reads this one complaint, even a confidential one")
class ReporterAccessPayload:
    token: str = strawberry.field(description="Send as `Authorization: Bearer <token>`")
    expires_at: datetime = strawberry.field(description="When the token stops working (UTC)")
    complaint: Complaint | None = strawberry.field(description="The complaint the token opens")


OpenComplaintResult = Annotated[
    ReporterAccessPayload | NotFoundError | ValidationError | RateLimitedError, strawberry.union("OpenComplaintResult")
]


@strawberry.type
class PrivacyMutation:
    @strawberry.mutation(description="Exchange a complaint's tracking id and the secret code given on submission "
                                     "for a short-lived token that reads it; wrong codes are limited per tracking id")
    async def open_complaint(self, info: strawberry.Info, tracking_id: str, code: str) -> OpenComplaintResult:
        try:
            access = await reporter_access.open_complaint(info.context, tracking_id, code)
        except reporter_access.TooManyAttempts as refused:
            return RateLimitedError(message=str(refused), retry_after_seconds=int(refused.retry_after + 0.999))
        except Missing as missing:
            return NotFoundError(message=missing.message)
        except Invalid as invalid:
            return ValidationError(message=invalid.message, field=invalid.field)
        row = await reporter_access.opened_complaint(info.context, access)
        return ReporterAccessPayload(token=access.token, expires_at=access.expires_at,
                                     complaint=Complaint.of(row) if row is not None else None)
