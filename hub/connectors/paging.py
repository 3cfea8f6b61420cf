"""The update-time cursor of the Open311 connector (REST pages by :mod:`hub.connectors.rest.paging`).

Records come ordered by update time. After each page the cursor's ``since``
moves to the newest update time on the page and paging restarts at page 1,
so records that change while a run reads cannot slip between pages. When a
full page brings nothing newer (one update time shared by a whole page, or a
page of records that could not be mapped), the page number advances instead.
The engine refuses a page token that would repeat, so a misbehaving app
cannot loop a run.

A regional clock that runs ahead can push ``since`` past records written
later with correct times; the engine re-reads ``overlap_seconds`` before the
stored ``since`` at the start of every run, so set the overlap above the
largest clock error you expect of a region.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hub.connectors.records import FatalError, RegionalRecord


def next_cursor(cursor: dict[str, Any], records: list[RegionalRecord], *, full_page: bool) -> tuple[dict[str, Any], bool]:
    """The cursor after a page, and whether to read another page in this run."""
    since = cursor.get("since")
    page = int(cursor.get("page", 1))
    previous = datetime.fromisoformat(since) if since else None
    newest = max((r.updated_at for r in records), default=None)
    if newest is not None and (previous is None or newest > previous):
        return {"since": newest.isoformat(), "page": 1}, full_page
    if full_page:
        return {"since": since, "page": page + 1}, True
    return {"since": since, "page": 1}, False


def refuse_repeat(region_code: str, cursor: dict[str, Any], following: dict[str, Any], more: bool) -> None:
    if more and following.get("since") == cursor.get("since") and following.get("page") == int(cursor.get("page", 1)):
        raise FatalError(f"region {region_code} returned the same page token twice")
