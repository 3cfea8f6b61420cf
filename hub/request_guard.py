"""The HTTP door of ``/graphql``: a bounded body of the right shape, or a clear 4xx.

Before the GraphQL server sees a POST, the body is read at most up to its
limit (``HUB_MAX_BODY_BYTES``; a multipart upload may also carry its
attachments): a ``Content-Length`` over the limit is refused with 413 without
reading a byte, and a body streamed past it is refused as soon as it crosses
the limit. A JSON body must be UTF-8 and JSON, and hold one operation: an
object with a ``query`` string, ``variables`` and ``extensions`` objects (or
null) and an ``operationName`` string (or null); text anywhere in it must be
valid Unicode (no lone surrogate). Anything else is a 400 whose GraphQL-shaped
body says what is wrong. The body read is then handed on unchanged.

What the operation's values may hold (lengths, NUL, ranges) is checked after
parsing, for every transport alike, by :mod:`hub.schema.input_guard`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from hub.domain.bounds import lone_surrogate


class Refusal(Exception):
    def __init__(self, status: int, message: str, code: str = "BAD_REQUEST") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code

    def response(self) -> JSONResponse:
        body = {"data": None, "errors": [{"message": self.message, "extensions": {"code": self.code}}]}
        return JSONResponse(body, status_code=self.status)


async def guarded_receive(scope: Scope, receive: Receive, send: Send, *, max_bytes: int,
                          max_upload_bytes: int) -> Receive | None:
    """A ``receive`` that replays the checked body, or None once a refusal has been sent."""
    if scope["type"] != "http" or scope["method"] != "POST":
        return receive
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    limit = max_bytes + max_upload_bytes if content_type == "multipart/form-data" else max_bytes
    try:
        body = await read_body(headers, receive, limit)
        if content_type in ("application/json", "") or content_type.endswith("+json"):
            check_operation(body)
    except Refusal as refusal:
        await refusal.response()(scope, receive, send)
        return None
    return replay(body, receive)


async def read_body(headers: dict[str, str], receive: Receive, limit: int) -> bytes:
    declared = headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise Refusal(400, "Content-Length is not a number of bytes")
        if int(declared) > limit:
            raise Refusal(413, too_large(limit), "PAYLOAD_TOO_LARGE")
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Refusal(400, "the client went away before the request body was complete")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise Refusal(413, too_large(limit), "PAYLOAD_TOO_LARGE")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def too_large(limit: int) -> str:
    return f"request body is larger than {limit} bytes; send a smaller request"


def check_operation(body: bytes) -> None:
    """Refuse a JSON body that is not one GraphQL operation."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refusal(400, f"request body is not valid UTF-8 (byte {exc.start}); send JSON in UTF-8") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise Refusal(400, f"request body is not JSON: {exc}") from None
    if isinstance(data, list):
        raise Refusal(400, "request body is a list; send one operation as a JSON object (batches are not supported)")
    if not isinstance(data, dict):
        raise Refusal(400, f"request body must be a JSON object with a `query` string, not {_kind(data)}")
    query = data.get("query")
    by_hash = isinstance(data.get("extensions"), dict) and isinstance(data["extensions"].get("persistedQuery"), dict)
    if query is None and not by_hash:  # a trusted document may be named by its hash alone
        raise Refusal(400, "request body has no `query`; send {\"query\": \"...\", \"variables\": {...}}")
    if query is not None and not isinstance(query, str):
        raise Refusal(400, f"`query` must be a string, not {_kind(query)}")
    for name, kind, expected in (("variables", dict, "an object"), ("extensions", dict, "an object"),
                                 ("operationName", str, "a string")):
        value = data.get(name)
        if value is not None and not isinstance(value, kind):
            raise Refusal(400, f"`{name}` must be {expected} or null, not {_kind(value)}")
    for path, value in _texts(data, ""):
        if lone_surrogate(value):
            raise Refusal(400, f"`{path or 'body'}` holds a lone surrogate; text must be valid Unicode")


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string of a JSON value, keys included, with where it is."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, key
            yield from _texts(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{path}[{index}]")


def _kind(value: Any) -> str:
    return {str: "a string", bool: "a boolean", int: "a number", float: "a number", list: "a list",
            dict: "an object", type(None): "null"}.get(type(value), type(value).__name__)


def replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again
