"""Reading a REST region's listing page by page: its paging style and its order.

Styles (``options.paging``), each with its own way to the next page:

- ``page``: ``?page=N&per_page=M``; the last page is short, or ``total_pages_path`` says so;
- ``offset``: ``?offset=K&limit=M``; the last page is short, or ``total_path`` is reached;
- ``cursor``: ``?limit=M&cursor=TOKEN``; the body's ``next_cursor_path`` holds the next token, absent on the last;
- ``link``: an RFC 8288 ``Link: <...>; rel="next"`` header, followed as given;
- ``none``: one answer holds everything.

Order (``options.order``) decides how ``since`` moves and when a pass stops:

- ``oldest`` (oldest change first): after each page ``since`` moves to the
  newest update time on it and reading restarts at the first page, so records
  that change meanwhile cannot slip between pages; a full page that brings
  nothing newer goes on to the next page instead. The pass stops at the last page.
- ``newest`` (newest change first): ``since`` stays where the pass began and
  the pages are followed to the last one, or to the first record older than
  ``since`` (apps that ignore the filter); only then ``since`` moves to the
  newest update time seen in the pass. A pass cut short starts again from the
  first page, with nothing lost.

The cursor is a dict: ``since`` (ISO time), ``page`` (1 starts a pass, so a
rewound cursor always does), ``at`` (the next page's offset, token or URL),
``top`` (newest-first: newest time seen in this pass) and ``digest`` (of the
previous page, to stop an app that answers the same page again).

An app whose records come in the other order than declared is stopped with an
error that says so; reading on would lose records.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from itertools import pairwise
from typing import Any

import httpx

from hub.connectors.mapping import MISSING, get_path
from hub.connectors.records import FatalError, RegionalRecord
from hub.connectors.rest.options import RestOptions


def request_for(options: RestOptions, base_url: str, cursor: dict[str, Any], *, page_size: int,
                since_text: str | None) -> tuple[str, dict[str, Any]]:
    """URL and parameters of the page ``cursor`` points at."""
    page = int(cursor.get("page", 1))
    at = cursor.get("at") if page > 1 else None
    if options.paging == "link" and isinstance(at, str):
        return at, {}  # the link repeats every parameter of the first request
    params: dict[str, Any] = {}
    if since_text and options.since_param:
        params[options.since_param] = since_text
    size = options.page_size_param or "per_page"
    match options.paging:
        case "page" | "link":
            params.update({options.page_param: page, size: page_size})
        case "offset":
            params.update({options.offset_param: int(at or 0), size: page_size})
        case "cursor":
            params[size] = page_size
            if at:
                params[options.cursor_param] = at
    return f"{base_url}{options.list_path}", params


def next_position(options: RestOptions, cursor: dict[str, Any], response: httpx.Response, body: Any, *,
                  served: int, page_size: int) -> Any:
    """Where the next page is (page number, offset, token or URL), or None after the last."""
    page = int(cursor.get("page", 1))
    match options.paging:
        case "page":
            total = get_path(body, options.total_pages_path) if options.total_pages_path else MISSING
            if isinstance(total, int) and not isinstance(total, bool):
                return page + 1 if page < total else None
            return page + 1 if served >= page_size else None
        case "offset":
            offset = int(cursor.get("at") or 0) if page > 1 else 0
            total = get_path(body, options.total_path) if options.total_path else MISSING
            if isinstance(total, int) and not isinstance(total, bool) and offset + page_size >= total:
                return None
            return offset + page_size if served >= page_size else None
        case "cursor":
            token = get_path(body, options.next_cursor_path)
            return str(token) if token not in (MISSING, None, "") else None
        case "link":
            link = response.links.get("next")
            return str(response.url.join(link["url"])) if link and link.get("url") else None
    return None


def digest(items: list[Any]) -> str | None:
    """A fingerprint of a page's records as served; None for an empty page."""
    if not items:
        return None
    return hashlib.sha256(json.dumps(items, sort_keys=True, default=str).encode()).hexdigest()[:32]


def check_order(options: RestOptions, region_code: str, records: list[RegionalRecord]) -> None:
    """Refuse a page whose update times run against the declared order."""
    for earlier, later in pairwise(records):
        backwards = later.updated_at < earlier.updated_at if options.order == "oldest" else later.updated_at > earlier.updated_at
        if backwards:
            served = "newest" if options.order == "oldest" else "oldest"
            raise FatalError(
                f"region {region_code}: {options.list_path} lists records {served} first (record {earlier.source_id} "
                f"changed {earlier.updated_at.isoformat()}, then {later.source_id} {later.updated_at.isoformat()}), "
                f'but the region file declares options.order = "{options.order}"; reading on would lose records, '
                f'so set order = "{served}"'
            )


def advance(options: RestOptions, region_code: str, cursor: dict[str, Any], records: list[RegionalRecord], *,
            following: Any, page_digest: str | None, since_floor: datetime | None) -> tuple[dict[str, Any], bool]:
    """The cursor after a page and whether this run reads another; the order's stop rule."""
    page = int(cursor.get("page", 1))
    if page > 1 and page_digest is not None and cursor.get("digest") == page_digest:
        raise FatalError(f"region {region_code}: page {page} of {options.list_path} repeats the previous page; the "
                         f"app ignores the {options.paging} paging parameters (declare the paging it uses, or paging = \"none\")")
    since = cursor.get("since")
    previous = datetime.fromisoformat(since) if since else None
    newest = max((r.updated_at for r in records), default=None)
    if options.order == "newest":
        top_text = cursor.get("top") if page > 1 else None
        tops = [t for t in (datetime.fromisoformat(top_text) if top_text else None, newest, previous) if t is not None]
        top = max(tops) if tops else None
        crossed = previous is not None and any(r.updated_at < previous for r in records)
        if following is not None and not crossed:
            return {"since": since, "page": page + 1, "at": following, "top": top.isoformat() if top else None,
                    "digest": page_digest}, True
        return {"since": top.isoformat() if top else since, "page": 1}, False
    if since_floor is not None and page == 1 and any(r.updated_at < since_floor for r in records):
        raise FatalError(f"region {region_code}: {options.list_path} answered records changed before "
                         f"{options.since_param}; the app ignores that filter, so declare since_param = \"\"")
    if options.since_param and newest is not None and (previous is None or newest > previous):
        return {"since": newest.isoformat(), "page": 1, "digest": page_digest}, following is not None
    moved = max((t for t in (newest, previous) if t is not None), default=None)
    if following is not None:
        return {"since": moved.isoformat() if moved else None, "page": page + 1, "at": following,
                "digest": page_digest}, True
    return {"since": moved.isoformat() if moved else None, "page": 1}, False
