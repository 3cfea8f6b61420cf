"""Attachments on the write path: uploads checked before the transaction, kept inside it.

:func:`read_uploads` runs before anything is written, so a refused file (too
large, not a photo or PDF, a program renamed ``.jpg``) refuses the whole
mutation with a ``ValidationError`` on ``attachments`` and nothing changes.
:func:`keep` stores the bytes and the rows inside the mutation's transaction;
if the transaction then fails, the stored bytes are deleted again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import TYPE_CHECKING

from hub.domain.changes import AttachmentLink
from hub.files.links import signed_url
from hub.files.prepare import PreparedFile, UploadRefused, prepare
from hub.files.store import FileStoreError, new_key
from hub.resolvers.context import Context
from hub.store.attachments import add_attachment
from hub.store.models import Attachment, Complaint

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


class AttachmentRefused(ValueError):
    """Raised to the mutation layer with the message a user can act on."""


async def read_uploads(ctx: Context, uploads: Sequence[object] | None, *, share_location: bool) -> list[PreparedFile]:
    uploads = list(uploads or [])
    if not uploads:
        return []
    limit = ctx.settings.attachment_max_files
    if len(uploads) > limit:
        raise AttachmentRefused(f"at most {limit} files may be attached at once, got {len(uploads)}")
    if ctx.files is None:
        raise AttachmentRefused("this hub keeps no attachments (no file store is configured)")
    try:
        return [await prepare(upload, max_bytes=ctx.settings.attachment_max_bytes, share_location=share_location)
                for upload in uploads]
    except UploadRefused as exc:
        raise AttachmentRefused(str(exc)) from None


class Keeper:
    """Stores prepared files for one mutation; forgets the bytes again if the mutation fails."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.keys: list[str] = []

    async def keep(self, session: AsyncSession, complaint: Complaint, files: Sequence[PreparedFile], *,
                   uploaded_by: str, event_id: int | None = None) -> list[Attachment]:
        store = self.ctx.files
        if not files:
            return []
        assert store is not None
        rows = []
        for file in files:
            key = new_key(file.kind.extension, self.ctx.now)
            try:
                await store.put(key, file.data, content_type=file.kind.content_type)
            except FileStoreError as exc:
                raise AttachmentRefused(f"{file.file_name} could not be stored right now; try again ({exc})") from None
            self.keys.append(key)
            rows.append(add_attachment(session, complaint_id=complaint.id, file_name=file.file_name,
                                       content_type=file.kind.content_type, size_bytes=file.size, url=store.describe(key),
                                       storage_key=key, sha256=file.sha256, uploaded_by=uploaded_by,
                                       location_shared=file.location_shared, event_id=event_id, now=self.ctx.now))
        await session.flush()
        return rows

    async def forget(self) -> None:
        if self.ctx.files is not None:
            for key in self.keys:
                try:
                    await self.ctx.files.delete(key)
                except Exception:  # a leftover file is harmless; the record never names it
                    pass


@asynccontextmanager
async def keeping(ctx: Context) -> AsyncIterator[Keeper]:
    keeper = Keeper(ctx)
    try:
        yield keeper
    except BaseException:
        await keeper.forget()
        raise


def region_links(ctx: Context, rows: Sequence[Attachment]) -> tuple[AttachmentLink, ...]:
    """Links a regional app fetches the files by, later: valid for ``HUB_ATTACHMENT_PUSH_URL_DAYS``."""
    until = ctx.now + timedelta(days=ctx.settings.attachment_push_url_days)
    return tuple(AttachmentLink(url=signed_url(ctx.settings.public_url, ctx.settings.secret, row.id, expires_at=until),
                                file_name=row.file_name, content_type=row.content_type) for row in rows)


def download_url(ctx: Context, row: Attachment) -> str:
    """A short-lived link for the caller, who may see the complaint (checked by whoever lists ``row``)."""
    if row.storage_key is None:
        return row.url  # a file a region holds, at the region's address
    until = ctx.now + timedelta(seconds=ctx.settings.attachment_url_seconds)
    return signed_url(ctx.settings.public_url, ctx.settings.secret, row.id, expires_at=until)
