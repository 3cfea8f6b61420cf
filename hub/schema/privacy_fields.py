"""Privacy fields of the Query and Mutation types (merged in hub.schema.build): the access log."""

from __future__ import annotations

import strawberry
from strawberry import relay

from hub.resolvers import access_log
from hub.resolvers.errors import BadInput
from hub.schema.types.access_log import AccessLogPage


def _complaint_id(given: strawberry.ID | None) -> int | None:
    if given is None:
        return None
    try:
        found = relay.GlobalID.from_id(str(given))
        if found.type_name == "Complaint":
            return int(found.node_id)
    except Exception:
        pass
    raise BadInput("`complaintId` must be a complaint's global id", field="complaintId")


@strawberry.type
class PrivacyQuery:
    @strawberry.field(description="Who read reporters' identities and confidential complaints, newest first "
                                  "(national admins); filter by complaint or by viewer")
    async def access_log(self, info: strawberry.Info, complaint_id: strawberry.ID | None = None,
                         viewer: str | None = None, first: int = 50, after: str | None = None) -> AccessLogPage:
        page = await access_log.listed(info.context, complaint_id=_complaint_id(complaint_id), viewer=viewer,
                                       first=first, after=after)
        return AccessLogPage.of(page)
