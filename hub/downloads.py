"""``GET /files/{id}``: downloading an attachment through a signed link.

The link (made by :func:`hub.resolvers.attachments.download_url` for a
caller who may see the complaint) is the permission: a wrong, altered or
expired signature answers 403 and says nothing about the file. The answer
names the type sniffed at upload, never sniffed again by a browser
(``nosniff``), and is offered as a download.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub.files.links import valid
from hub.files.store import FileStoreError
from hub.store.models import Attachment
from hub.store.types import utcnow

if TYPE_CHECKING:
    from hub.app import Runtime


def routes(runtime: Runtime) -> list[Route]:
    async def download(request: Request) -> Response:
        raw = request.path_params["attachment_id"]
        query = request.query_params
        if not raw.isdigit() or not valid(runtime.settings.secret, int(raw), query.get("expires"),
                                          query.get("signature"), now=utcnow()):
            return JSONResponse({"error": "this link is not valid or has expired; ask for the complaint again"},
                                status_code=403)
        assert runtime.sessions is not None
        async with runtime.sessions() as session:
            row = await session.get(Attachment, int(raw))
        if row is None or row.storage_key is None or runtime.files is None:
            return JSONResponse({"error": "no such file"}, status_code=404)
        try:
            data = await runtime.files.get(row.storage_key)
        except FileStoreError:
            return JSONResponse({"error": "the file cannot be read right now; try again"}, status_code=503)
        return Response(data, media_type=row.content_type or "application/octet-stream", headers={
            "content-disposition": f"attachment; filename*=UTF-8''{quote(row.file_name)}",
            "x-content-type-options": "nosniff", "cache-control": "private, no-store",
        })

    return [Route("/files/{attachment_id}", download, methods=["GET"])]
