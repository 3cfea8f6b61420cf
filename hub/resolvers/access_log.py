"""Recording what staff read of reporters and confidential complaints, and
listing it for national admins.

Every path that hands a complaint to staff notes it here: the list, ``complaint``
and ``node`` reads note each row they read (so the planned path is covered, it
starts from those rows), the field resolvers of an ORM-built complaint note the
reporter and timeline they load. A request keeps its readings in memory and
writes them in one statement when it ends (``hub.schema.build.AccessLogWriter``).

Fields noted: ``reporter`` (name and contacts), ``timeline.actor`` (events
naming the reporter), ``confidential`` (any read of a confidential complaint).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from hub.domain.access import can_see_reporter
from hub.domain.vocabulary import Privacy, Role
from hub.resolvers.context import Context
from hub.resolvers.errors import NotAllowed
from hub.resolvers.paging import read_page
from hub.store.access_log import Reading, list_access_log
from hub.store.keyset import KeysetPage, PageRequest
from hub.store.page_json import JsonRow
from hub.store.privacy_models import AccessLogEntry
from hub.store.read_rows import EVENT_ITEM, ComplaintRow

_ACTOR_ROLE = EVENT_ITEM.index("actor_role")
class AccessedField(enum.StrEnum):
    """What a reading of the access log read."""

    REPORTER = "reporter"  # the reporter's name and contacts
    TIMELINE_ACTOR = "timeline.actor"  # timeline events naming the reporter
    CONFIDENTIAL = "confidential"  # any read of a confidential complaint
    EXPORT = "export"  # a complaint in an export file (hub.store.exports)


REPORTER, TIMELINE_ACTOR, CONFIDENTIAL = AccessedField.REPORTER, AccessedField.TIMELINE_ACTOR, AccessedField.CONFIDENTIAL


def note(ctx: Context, complaint_id: int, field: str) -> None:
    """One reading by the caller, kept if the caller is staff."""
    if ctx.viewer.is_staff:
        ctx.readings.add(Reading(complaint_id, field))


def note_rows(ctx: Context, rows: Iterable[ComplaintRow]) -> None:
    """What the caller reads of a page of rows: confidential complaints, reporters, events naming reporters."""
    if not ctx.viewer.is_staff:
        return
    for row in rows:
        if row.values.get("privacy") in (Privacy.CONFIDENTIAL, Privacy.CONFIDENTIAL.value):
            note(ctx, row.id, CONFIDENTIAL)
        if row.selection.reporter and row.reporter is not None:
            note(ctx, row.id, REPORTER)
        if row.event_items and any(item[_ACTOR_ROLE] == Role.REPORTER.value for item in row.event_items) \
                and can_see_reporter(ctx.viewer, row.facts):
            note(ctx, row.id, TIMELINE_ACTOR)


def note_written(ctx: Context, rows: Iterable[JsonRow]) -> None:
    """What the caller reads of a page whose JSON PostgreSQL wrote: confidential complaints, events naming
    reporters (the statement says which: ``names_reporter``, ``shows_reporter``)."""
    if not ctx.viewer.is_staff:
        return
    for row in rows:
        if row.privacy in (Privacy.CONFIDENTIAL, Privacy.CONFIDENTIAL.value):
            note(ctx, row.id, CONFIDENTIAL)
        if row.names_reporter and row.shows_reporter:
            note(ctx, row.id, TIMELINE_ACTOR)


async def listed(ctx: Context, *, complaint_id: int | None, viewer: str | None,
                 page: PageRequest) -> KeysetPage[AccessLogEntry]:
    if ctx.viewer.role is not Role.NATIONAL_ADMIN:
        raise NotAllowed("only national admins read the access log")
    return await read_page(ctx, list_access_log, complaint_id=complaint_id, viewer=viewer, page=page)
