"""GeoReport v2 on the wire, as a client reads it: JSON or XML, and the
format a region speaks.

A path in the region file names its format by its suffix
(``/requests.json``); :func:`formatted` swaps the suffix for the format in
use. ``format = "auto"`` starts with the configured suffix and follows the
answer: an XML body (by content type, or a body starting with ``<``) is read
as XML, and a 404 or 400 answered in XML to a ``.json`` call (the spec's own
format; XML-only servers answer ``.json`` that way) switches the region to
``.xml`` for the rest of the run.

XML follows the spec: a root (``service_requests``) holding one element per
item (``request``), one child per field. An empty element is an empty text
(``""``), so "empty" and "left out" stay apart as in JSON. An item whose
children have children (``<attributes>``) keeps them as a nested dict.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

import httpx

FORMATS = ("json", "xml")
_SUFFIX = re.compile(r"\.(json|xml)$")


class Unreadable(ValueError):
    """An answer that is neither the JSON nor the XML a GeoReport server sends."""


def formatted(path: str, fmt: str) -> str:
    """``/requests.json`` as ``/requests.xml``; a path with no known suffix gets one."""
    return _SUFFIX.sub(f".{fmt}", path) if _SUFFIX.search(path) else f"{path}.{fmt}"


def suffix_of(path: str) -> str | None:
    match = _SUFFIX.search(path)
    return match.group(1) if match else None


def looks_like_xml(response: httpx.Response) -> bool:
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind.endswith("/xml") or kind.endswith("+xml"):
        return True
    return response.content[:100].lstrip().startswith(b"<")


def _element(element: ElementTree.Element) -> Any:
    children = list(element)
    if not children:
        return element.text.strip() if element.text else ""
    if all(child.tag == children[0].tag for child in children) and len(children) > 1:
        return [_element(child) for child in children]
    return {child.tag: _element(child) for child in children}


def xml_items(body: bytes) -> list[Any]:
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise Unreadable(f"the XML does not parse ({exc})") from None
    return [_element(item) if list(item) else {} for item in root]


def items_of(response: httpx.Response) -> list[Any]:
    """The list of items an answer holds, read as XML or JSON by what it is."""
    if looks_like_xml(response):
        return xml_items(response.content)
    try:
        body = response.json()
    except ValueError:
        raise Unreadable("the answer is neither JSON nor XML") from None
    if isinstance(body, dict):  # some servers wrap the list: {"service_requests": [...]}
        lists = [value for value in body.values() if isinstance(value, list)]
        if len(lists) == 1:
            return lists[0]
    if not isinstance(body, list):
        raise Unreadable(f"the answer is a JSON {type(body).__name__}, not a list")
    return body
