"""A complaint about to be inserted in bulk, as plain attributes.

Building an ORM ``Complaint`` costs its instrumentation on every attribute
set; a pulled page creates hundreds at once and inserts them with one Core
statement, so it builds drafts instead. A draft has every column of the
``complaints`` table as an attribute (``None`` unless given), so the
lifecycle helpers that read and set a complaint's milestones and due dates
(:func:`hub.store.milestones.move_to`, :func:`hub.store.deadlines.refresh_due_dates`)
work on it unchanged, and :meth:`row` is the row to insert.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hub.store.models import Complaint

COLUMNS = tuple(column.key for column in Complaint.__table__.columns)


class ComplaintDraft:
    id: int  # None until inserted; the drafts a page hands on are inserted ones
    tracking_id: str
    region_code: str
    reporter_id: int | None
    title: str
    body: str
    status: Any
    category_code: str | None
    created_at: datetime
    updated_at: datetime
    verified_at: datetime | None
    dispositioned_at: datetime | None
    first_follow_up_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    postponed_at: datetime | None
    postponed_working_days: int
    verify_due: datetime | None
    follow_up_due: datetime | None
    resolve_due: datetime | None
    answer_due: datetime | None

    def __init__(self, **columns: Any) -> None:
        unknown = set(columns) - set(COLUMNS)
        if unknown:
            raise TypeError(f"complaints has no column {', '.join(sorted(unknown))}")
        self.__dict__.update(dict.fromkeys(COLUMNS), **columns)

    def row(self) -> dict[str, Any]:
        """The complaints row, without its id (the database assigns it)."""
        return {key: value for key, value in self.__dict__.items() if key != "id"}
