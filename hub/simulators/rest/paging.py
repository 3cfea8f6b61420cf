"""How the REST app's listing says where the next records are, one style per
``paging`` habit. Every style answers ``{"data": [...], ...}``:

- ``page``: ``?page=1&per_page=50``; ``meta`` holds page, per_page, total, total_pages;
- ``offset``: ``?offset=0&limit=50``; ``meta`` holds offset, limit, total;
- ``cursor``: ``?limit=50&cursor=TOKEN``; the body's ``next`` is the opaque
  token of the following page, absent on the last one. Tokens are positions
  (update time, id), so records inserted or moved meanwhile shift nothing;
- ``link``: ``?page=1&per_page=50`` with an RFC 8288 ``Link`` header
  (``rel="next"``, ``"last"``, ``"prev"``, ``"first"`` as each applies; absolute
  URLs that repeat every other parameter of the request) and no paging
  fields in the body;
- ``none``: every matching record in one answer; paging parameters are ignored.

The ``repeat_across_pages`` fault makes every page but the first start with
the previous page's last record, in each style that has pages.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import URL, QueryParams

from hub.simulators.habits import Paging
from hub.simulators.store import SimComplaint, SimStore

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 50
EVERYTHING = 10_000_000


@dataclass(frozen=True)
class Query:
    """What every style shares: the filter, the order and the repeat fault."""

    since: str | None  # ISO UTC, inclusive
    newest_first: bool
    repeat: bool


@dataclass
class Listing:
    records: list[SimComplaint]
    body: dict[str, Any] = field(default_factory=dict)  # beside "data"
    headers: dict[str, str] = field(default_factory=dict)


def listing(paging: Paging, params: QueryParams, url: URL, store: SimStore, query: Query) -> Listing:
    """One answer of the list endpoint; ValueError (in the app's words) for bad parameters."""
    match paging:
        case "page":
            page, per_page = _page_numbers(params)
            records, total = _window(store, query, (page - 1) * per_page, per_page)
            return Listing(records, {"meta": {"page": page, "per_page": per_page, "total": total,
                                              "total_pages": _pages(total, per_page)}})
        case "link":
            page, per_page = _page_numbers(params)
            records, total = _window(store, query, (page - 1) * per_page, per_page)
            header = link_header(url, page=page, per_page=per_page, last=_pages(total, per_page))
            return Listing(records, headers={"link": header} if header else {})
        case "offset":
            offset = _number(params, "offset", 0, "offset harus bilangan >= 0")
            limit = _number(params, "limit", DEFAULT_PAGE_SIZE, f"limit harus antara 1 dan {MAX_PAGE_SIZE}")
            if offset < 0 or not 1 <= limit <= MAX_PAGE_SIZE:
                raise ValueError(f"offset harus >= 0 dan limit antara 1 dan {MAX_PAGE_SIZE}")
            records, total = _window(store, query, offset, limit)
            return Listing(records, {"meta": {"offset": offset, "limit": limit, "total": total}})
        case "cursor":
            return _cursor_page(params, store, query)
        case "none":
            records, _ = store.page(since=query.since, offset=0, limit=EVERYTHING, newest_first=query.newest_first)
            return Listing(records)
    raise ValueError(f"unknown paging habit {paging!r}")


def link_header(url: URL, *, page: int, per_page: int, last: int) -> str:
    """``<...?page=3>; rel="next", ...`` in GitHub's order; empty when there is one page only."""
    def target(number: int, rel: str) -> str:
        return f'<{url.include_query_params(page=number, per_page=per_page)}>; rel="{rel}"'

    links = []
    if page > 1:
        links.append(target(min(page - 1, last), "prev"))
    if page < last:
        links += [target(page + 1, "next"), target(last, "last")]
    if page > 1:
        links.append(target(1, "first"))
    return ", ".join(links)


def encode_cursor(record: SimComplaint, newest_first: bool) -> str:
    raw = json.dumps([record.updated_at, record.id, "newest" if newest_first else "oldest"]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, newest_first: bool) -> tuple[str, int]:
    try:
        stamp, record_id, order = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if not isinstance(stamp, str) or not isinstance(record_id, int) or order != ("newest" if newest_first else "oldest"):
            raise ValueError
    except (ValueError, TypeError, binascii.Error):
        raise ValueError(f"cursor {token!r} tidak valid; mulai lagi tanpa cursor") from None
    return stamp, record_id


def _cursor_page(params: QueryParams, store: SimStore, query: Query) -> Listing:
    limit = _number(params, "limit", DEFAULT_PAGE_SIZE, f"limit harus antara 1 dan {MAX_PAGE_SIZE}")
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValueError(f"limit harus antara 1 dan {MAX_PAGE_SIZE}")
    token = params.get("cursor")
    position = decode_cursor(token, query.newest_first) if token else None
    repeat = query.repeat and position is not None
    served = limit + 1 if repeat else limit
    records, _ = store.page(since=query.since, offset=0, limit=served + 1, newest_first=query.newest_first,
                            after=position, include_after=repeat)
    more = len(records) > served
    records = records[:served]
    return Listing(records, {"next": encode_cursor(records[-1], query.newest_first)} if more else {})


def _page_numbers(params: QueryParams) -> tuple[int, int]:
    problem = f"page harus >= 1 dan per_page antara 1 dan {MAX_PAGE_SIZE}"
    page = _number(params, "page", 1, problem)
    per_page = _number(params, "per_page", DEFAULT_PAGE_SIZE, problem)
    if page < 1 or not 1 <= per_page <= MAX_PAGE_SIZE:
        raise ValueError(problem)
    return page, per_page


def _window(store: SimStore, query: Query, offset: int, limit: int) -> tuple[list[SimComplaint], int]:
    """``limit`` records from ``offset``; with the repeat fault, one more in front of every page but the first."""
    if query.repeat and offset > 0:
        offset, limit = offset - 1, limit + 1
    return store.page(since=query.since, offset=offset, limit=limit, newest_first=query.newest_first)


def _number(params: QueryParams, name: str, default: int, problem: str) -> int:
    try:
        return int(params.get(name, str(default)))
    except ValueError:
        raise ValueError(problem) from None


def _pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))
