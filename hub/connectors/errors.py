"""A regional server's error answer, said in one line that names the region
and quotes the server's own words.

Servers say what went wrong in many shapes; an admin reading ``connectors``
or ``syncRuns`` should not have to. :func:`server_says` finds the server's
description in:

- the GeoReport v2 error format, XML
  ``<errors><error><code>403</code><description>…</description></error></errors>``
  or JSON ``[{"code": 403, "description": "…"}]`` (several errors joined by ``; ``);
- a JSON object with ``message``, ``error``, ``error_description``,
  ``detail`` or ``description`` (``{"error": {"message": …}}`` too);
- an HTML page (a maintenance page, a proxy's or a hotspot's login page,
  often answered with status 200): its ``<title>``, else its first heading;
- plain text: its first line.

:func:`error_line` builds the line (``region 61.71 (Open311 Pontianak): GET
/requests.json answered 403: "api_key is missing or not valid"``) and
:func:`html_instead_of_data` the one for an HTML page where data belongs.
Every quote is one line, at most :data:`QUOTE_LIMIT` characters.
"""

from __future__ import annotations

import html
import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import httpx

from hub.connectors.records import FatalError

if TYPE_CHECKING:
    from hub.connectors.registry import RegionConfig

QUOTE_LIMIT = 200
_MESSAGE_KEYS = ("description", "message", "error_description", "detail", "error", "errors", "title", "msg")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_HEADING = re.compile(r"<h[1-3][^>]*>(.*?)</h[1-3]>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


class ServerRefused(FatalError):
    """A 4xx answer (not 429): the message is :func:`error_line`; ``status`` lets a connector tell a 404 apart."""

    def __init__(self, message: str, *, status: int, xml: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.xml = xml  # the answer was XML (a GeoReport server speaking its own format)


def region_label(region: RegionConfig) -> str:
    """``region 61.71`` or, when the region file names it, ``region 61.71 (Open311 Pontianak)``."""
    return f"region {region.code} ({region.name})" if region.name else f"region {region.code}"


def one_line(text: str, limit: int = QUOTE_LIMIT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def is_html(response: httpx.Response) -> bool:
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml"):
        return True
    head = response.content[:200].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _from_json(body: Any) -> str | None:
    if isinstance(body, str):
        return body.strip() or None
    if isinstance(body, list):
        said = [text for item in body if (text := _from_json(item))]
        return "; ".join(dict.fromkeys(said)) or None
    if isinstance(body, dict):
        for key in _MESSAGE_KEYS:
            if key in body and (text := _from_json(body[key])):
                return text
    return None


def _from_xml(text: str) -> str | None:
    try:
        root = ElementTree.fromstring(text.encode("utf-8") if isinstance(text, str) else text)
    except ElementTree.ParseError:
        return None
    said = [" ".join(element.text.split()) for element in root.iter()
            if element.tag.lower() in ("description", "message") and element.text and element.text.strip()]
    return "; ".join(dict.fromkeys(said)) or None


def _from_html(text: str) -> str | None:
    for pattern in (_TITLE, _HEADING):
        if match := pattern.search(text):
            found = html.unescape(_TAG.sub(" ", match.group(1))).strip()
            if found:
                return found
    return None


def server_says(response: httpx.Response) -> str | None:
    """The server's own description of what happened, on one line; None when it said nothing readable."""
    text = response.text.strip()
    if not text:
        return None
    if is_html(response):
        found = _from_html(text)
    elif text.startswith("<"):
        found = _from_xml(text)
    elif text[0] in "[{\"":
        try:
            found = _from_json(json.loads(text))
        except ValueError:
            found = None
    else:
        found = text.splitlines()[0]
    return one_line(found) if found else None


def _where(method: str, url: str | httpx.URL) -> str:
    return f"{method} {urlsplit(str(url)).path or '/'}"


def error_line(region: RegionConfig, method: str, url: str | httpx.URL, response: httpx.Response) -> str:
    """``region 61.71: GET /requests.json answered 403: "api_key is missing or not valid"``."""
    said = server_says(response)
    quote = f': "{said}"' if said else " (no description in the answer)"
    return f"{region_label(region)}: {_where(method, url)} answered {response.status_code}{quote}"


def html_instead_of_data(region: RegionConfig, method: str, url: str | httpx.URL, response: httpx.Response) -> str:
    """An HTML page where data belongs (a maintenance page, a login page in between)."""
    said = server_says(response)
    quote = f': "{said}"' if said else ""
    return (f"{region_label(region)}: {_where(method, url)} answered {response.status_code} with an HTML page "
            f"instead of data{quote}")


def unreadable_line(region: RegionConfig, method: str, url: str | httpx.URL, response: httpx.Response,
                    expected: str) -> str:
    """An answer that is not the ``expected`` format (``JSON``, ``XML``)."""
    said = server_says(response)
    kind = response.headers.get("content-type", "no content type")
    quote = f': "{said}"' if said else ""
    return f"{region_label(region)}: {_where(method, url)} did not answer {expected} ({kind}){quote}"
