"""The access log in the schema: who read a reporter's identity or a confidential complaint."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from hub.resolvers.access_log import AccessedField
from hub.schema.types.enums import Role
from hub.store.privacy_models import AccessLogEntry as EntryRow

AccessedFieldKind = AccessedField
strawberry.enum(
    AccessedFieldKind, name="AccessedField",
    description="What staff read: REPORTER (name and contacts), TIMELINE_ACTOR (events naming the reporter), "
                "CONFIDENTIAL (a confidential complaint) or EXPORT (a complaint in an export file)")


@strawberry.type(description="One reading by staff of a reporter's identity or of a confidential complaint")
class AccessLogEntry(relay.Node):
    id: relay.NodeID[int]
    viewer: str = strawberry.field(description="Who read it (the token's subject)")
    viewer_role: Role = strawberry.field(description="The reader's role when they read it")
    complaint_id: relay.GlobalID = strawberry.field(description="The complaint read (a Complaint global id)")
    field: AccessedFieldKind = strawberry.field(description="What was read")
    read_at: datetime = strawberry.field(description="When it was read (UTC)")
    request_id: str | None = strawberry.field(
        description="The request's X-Request-ID, to match the entry with the hub's logs")

    @classmethod
    def of(cls, row: EntryRow) -> AccessLogEntry:
        return cls(id=row.id, viewer=row.viewer, viewer_role=row.viewer_role,
                   complaint_id=relay.GlobalID("Complaint", str(row.complaint_id)), field=AccessedField(row.field),
                   read_at=row.read_at, request_id=row.request_id)
