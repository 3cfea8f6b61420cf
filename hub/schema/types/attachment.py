"""The Attachment type: a photo or document on a complaint, with a link to download it.

It is reached only through a complaint the caller may see, so the link it
carries is made for someone the complaint's scope admits.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from hub.domain.vocabulary import EventKind as EventKindValue
from hub.resolvers.attachments import download_url
from hub.schema.types.enums import EventKind
from hub.store import models


@strawberry.type(description="A photo or document attached to a complaint (lampiran)")
class Attachment(relay.Node):
    id: relay.NodeID[int]
    file_name: str = strawberry.field(description="The file's name as uploaded or as the regional app named it")
    content_type: str | None = strawberry.field(description="What the file is, judged from its bytes")
    size_bytes: int | None = strawberry.field(
        description="Size in bytes; null when unknown (a file a regional app holds)")
    created_at: datetime = strawberry.field(description="When the hub received it (UTC)")
    came_with: EventKind | None = strawberry.field(description="The kind of timeline event it came with")
    location_shared: bool = strawberry.field(description="Whether the photo still says where it was taken")
    url: str = strawberry.field(description="Download link; short-lived for files the hub keeps")
    source_system: str = strawberry.field(description="Who holds the file: the hub (lapor-hub) or the regional app "
                                                      "that named it (e.g. open311:61.71), at its own address")


async def attachments_of(info: strawberry.Info, complaint_id: int) -> list[Attachment]:
    rows: list[tuple[models.Attachment, EventKindValue | None]] = await info.context.loaders.attachments.load(complaint_id)
    return [attachment_of(info, row, kind) for row, kind in rows]


def attachment_of(info: strawberry.Info, row: models.Attachment, kind: EventKindValue | None) -> Attachment:
    return Attachment(id=row.id, file_name=row.file_name, content_type=row.content_type, size_bytes=row.size_bytes,
                      created_at=row.created_at, came_with=kind, location_shared=row.location_shared,
                      url=download_url(info.context, row), source_system=row.source_system)
