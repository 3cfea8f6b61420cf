"""GeoReport v2 on the wire: answers in JSON or XML, errors in the spec's shape,
W3C date-times, and the form a client POSTs.

XML follows the spec: a root element (``service_requests``,
``service_request_updates``, ``services``, ``errors``) holding one element
per item (``request``, ``request_update``, ``service``, ``error``), one child
element per field; a field with no value is an empty element, a field left
out has no element. JSON is the same list of objects (the Spark convention).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl
from xml.etree import ElementTree

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

FORMATS = ("json", "xml")


class Open311Error(Exception):
    """An error answered in the spec's format: a list of ``{code, description}``, ``code`` the HTTP status."""

    def __init__(self, code: int, description: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.headers = code, description, headers or {}


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else str(value)


def xml_document(root_tag: str, item_tag: str, items: list[dict[str, Any]]) -> bytes:
    root = ElementTree.Element(root_tag)
    for item in items:
        element = ElementTree.SubElement(root, item_tag)
        for key, value in item.items():
            ElementTree.SubElement(element, key).text = _text(value)
    body: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def answer(fmt: str, root_tag: str, item_tag: str, items: list[dict[str, Any]], status: int = 200,
           headers: dict[str, str] | None = None) -> Response:
    if fmt == "xml":
        return Response(xml_document(root_tag, item_tag, items), status_code=status,
                        media_type="text/xml; charset=utf-8", headers=headers)
    return JSONResponse(items, status_code=status, headers=headers)


def error(fmt: str, code: int, description: str, headers: dict[str, str] | None = None) -> Response:
    return answer(fmt, "errors", "error", [{"code": code, "description": description}], status=code, headers=headers)


def parse_time(raw: str, name: str) -> datetime:
    """A W3C date-time with its offset (``Z`` or ``+07:00``); a ``+`` sent unescaped in a query arrives as a space."""
    text = re.sub(r" (\d{2}:?\d{2})$", r"+\1", raw.strip())
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{name} must be a W3C date-time such as 2026-10-05T08:00:00+07:00, not {raw!r}") from None
    if moment.tzinfo is None:
        raise Open311Error(400, f"{name} must carry a UTC offset (Z or +07:00), not {raw!r}")
    return moment


@dataclass
class Call:
    """One API call: its format, query parameters and (for a POST) form fields."""

    request: Request
    fmt: str
    query: dict[str, str]
    form: dict[str, str]

    def param(self, name: str) -> str | None:
        """A parameter from the form or the query; an empty one counts as not given (the spec's optional arguments)."""
        value = self.form.get(name) or self.query.get(name)
        return (value.strip() or None) if value is not None else None

    @classmethod
    async def read(cls, request: Request, fmt: str) -> Call:
        form: dict[str, str] = {}
        if request.method == "POST":
            # GeoReport v2 posts application/x-www-form-urlencoded; parsed here so
            # the simulator needs no multipart parser.
            form = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
        return cls(request=request, fmt=fmt, query=dict(request.query_params), form=form)
