"""What people are told about a complaint: one type per kind of notice.

A notice is recorded in the transaction of the change it tells about: a
mutation's change (:func:`notice_of_change`), or a status a region reported
(:func:`notice_of_status`). From it the hub tells the reporter by e-mail and
SMS (:mod:`hub.domain.notice_texts`) and every webhook subscriber whose scope
may see the complaint (:mod:`hub.domain.webhook_events`). Every side reads
these classes, so what an SMS says and what a webhook signs cannot drift.

::

    Notice (tracking id, when, status after, region, who said so)
    ├── SubmittedNotice      ├── VerifiedNotice          ├── RejectedNotice (reason)
    ├── PostponedNotice (reason: what detail is missing)  ├── DetailAddedNotice
    ├── DispositionedNotice (agency)                      ├── ReturnedNotice (bukan wewenang)
    ├── FollowedUpNotice (text)  ├── CommentedNotice      ├── ResolvedNotice (answer window)
    ├── ReopenedNotice           ├── RatedNotice          ├── ClosedNotice
    ├── WithdrawnNotice          ├── TransferredNotice (to which region)
    ├── StatusChangedNotice      a regional status with no kind of its own (e.g. archived)
    └── EscalatedNotice (deadline, level)  a breached deadline climbed the escalation ladder

Adding a kind is a class here, its words in :mod:`hub.domain.notice_texts`
if reporters hear of it, and a call to ``hub.store.notices.record_notice``
where it happens.
"""

from __future__ import annotations

import dataclasses
import enum
import typing
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from hub.domain.changes import (
    AddDetailChange,
    ChangeFormatError,
    CloseChange,
    CommentChange,
    DispositionChange,
    FollowUpChange,
    OutboundChange,
    PostponeChange,
    RateChange,
    RejectChange,
    ReopenChange,
    ResolveChange,
    ReturnChange,
    SubmitChange,
    TransferChange,
    VerifyChange,
    WithdrawChange,
    build_from_payload,
    to_payload,
)
from hub.domain.escalation import EscalationLevel
from hub.domain.vocabulary import Status


class NoticeKind(enum.StrEnum):
    """The ``type`` of a webhook event, and what a reporter's message is about."""

    SUBMITTED = "complaint.submitted"
    VERIFIED = "complaint.verified"
    REJECTED = "complaint.rejected"
    POSTPONED = "complaint.postponed"  # tunda
    DETAIL_ADDED = "complaint.detail_added"
    DISPOSITIONED = "complaint.dispositioned"  # disposisi
    RETURNED = "complaint.returned"  # bukan wewenang
    FOLLOWED_UP = "complaint.followed_up"  # tindak lanjut
    COMMENTED = "complaint.commented"
    RESOLVED = "complaint.resolved"
    REOPENED = "complaint.reopened"
    RATED = "complaint.rated"
    CLOSED = "complaint.closed"
    WITHDRAWN = "complaint.withdrawn"
    TRANSFERRED = "complaint.transferred"
    STATUS_CHANGED = "complaint.status_changed"
    ESCALATED = "complaint.escalated"  # eskalasi: a breached deadline climbed to the level above


@dataclass(frozen=True, slots=True, kw_only=True)
class Notice:
    kind: ClassVar[NoticeKind]

    tracking_id: str
    occurred_at: datetime
    status: Status  # the complaint's national status after it happened
    region_code: str
    source_system: str  # the hub ("lapor-hub") or the regional app that said so


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmittedNotice(Notice):
    kind: ClassVar[NoticeKind] = NoticeKind.SUBMITTED
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifiedNotice(Notice):
    kind: ClassVar[NoticeKind] = NoticeKind.VERIFIED


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectedNotice(Notice):
    kind: ClassVar[NoticeKind] = NoticeKind.REJECTED
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PostponedNotice(Notice):
    kind: ClassVar[NoticeKind] = NoticeKind.POSTPONED
    reason: str | None = None  # the detail the reporter is asked for


@dataclass(frozen=True, slots=True, kw_only=True)
class DetailAddedNotice(Notice):
    kind: ClassVar[NoticeKind] = NoticeKind.DETAIL_ADDED
    text: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DispositionedNotice(Notice):
    kind: ClassVar[NoticeKind] = NoticeKind.DISPOSITIONED
    agency_name: str | None = None  # unknown when a region reports the status without it


@dataclass(frozen=True, slots=True, kw_only=True)
class ReturnedNotice(Notice):
    kind: ClassVar[NoticeKind] = NoticeKind.RETURNED
    reason: str | None = None
    agency_name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowedUpNotice(Notice):
    kind: ClassVar[NoticeKind] = NoticeKind.FOLLOWED_UP
    text: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CommentedNotice(Notice):
    kind: ClassVar[NoticeKind] = NoticeKind.COMMENTED
    text: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolvedNotice(Notice):
    kind: ClassVar[NoticeKind] = NoticeKind.RESOLVED
    text: str | None = None
    answer_due: datetime | None = None  # the reporter's window to answer ends here
    answer_days: int | None = None  # that window in working days (10 by the national guideline)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReopenedNotice(Notice):
    kind: ClassVar[NoticeKind] = NoticeKind.REOPENED
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RatedNotice(Notice):
    kind: ClassVar[NoticeKind] = NoticeKind.RATED
    stars: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ClosedNotice(Notice):
    kind: ClassVar[NoticeKind] = NoticeKind.CLOSED
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WithdrawnNotice(Notice):
    kind: ClassVar[NoticeKind] = NoticeKind.WITHDRAWN
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TransferredNotice(Notice):
    kind: ClassVar[NoticeKind] = NoticeKind.TRANSFERRED
    from_region_code: str
    to_region_code: str
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusChangedNotice(Notice):
    kind: ClassVar[NoticeKind] = NoticeKind.STATUS_CHANGED
    previous: Status | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EscalatedNotice(Notice):
    """A breached deadline nobody met climbed the ladder (:mod:`hub.domain.escalation`)."""

    kind: ClassVar[NoticeKind] = NoticeKind.ESCALATED
    deadline: str  # verify, follow_up or resolve
    level: EscalationLevel  # the level it reached: REGION or NATIONAL
    due: datetime | None = None


AnyNotice = (
    SubmittedNotice | VerifiedNotice | RejectedNotice | PostponedNotice | DetailAddedNotice | DispositionedNotice
    | ReturnedNotice | FollowedUpNotice | CommentedNotice | ResolvedNotice | ReopenedNotice | RatedNotice
    | ClosedNotice | WithdrawnNotice | TransferredNotice | StatusChangedNotice | EscalatedNotice
)

NOTICE_TYPES: dict[NoticeKind, type[Notice]] = {cls.kind: cls for cls in typing.get_args(AnyNotice)}

#: what a reporter is told of, by e-mail and SMS (their own actions are not echoed back)
TOLD_TO_REPORTER = frozenset({
    NoticeKind.VERIFIED, NoticeKind.DISPOSITIONED, NoticeKind.FOLLOWED_UP, NoticeKind.RESOLVED,
    NoticeKind.POSTPONED, NoticeKind.REJECTED, NoticeKind.TRANSFERRED,
})


def for_the_ombudsman(notice: Notice) -> bool:
    """Whether the Ombudsman's subscription (a national setting) is told of ``notice``, whatever kinds it asked for."""
    return isinstance(notice, EscalatedNotice) and notice.level is EscalationLevel.NATIONAL


# -- from what happened -----------------------------------------------------------------------


def notice_of_change(change: OutboundChange, *, region_code: str, source_system: str,
                     answer_due: datetime | None = None, answer_days: int | None = None) -> AnyNotice:
    """The notice of a change made through the hub (the same change a region is pushed)."""
    common: dict[str, Any] = {"tracking_id": change.tracking_id, "occurred_at": change.occurred_at,
                              "status": change.status, "region_code": region_code, "source_system": source_system}
    match change:
        case SubmitChange():
            return SubmittedNotice(**common, title=change.title)
        case VerifyChange():
            return VerifiedNotice(**common)
        case RejectChange():
            return RejectedNotice(**common, reason=change.reason)
        case PostponeChange():
            return PostponedNotice(**common, reason=change.reason)
        case AddDetailChange():
            return DetailAddedNotice(**common, text=change.text)
        case DispositionChange():
            return DispositionedNotice(**common, agency_name=change.agency_name)
        case ReturnChange():
            return ReturnedNotice(**common, reason=change.reason, agency_name=change.agency_name)
        case FollowUpChange():
            return FollowedUpNotice(**common, text=change.text)
        case CommentChange():
            return CommentedNotice(**common, text=change.text)
        case ResolveChange():
            return ResolvedNotice(**common, text=change.text, answer_due=answer_due, answer_days=answer_days)
        case ReopenChange():
            return ReopenedNotice(**common, reason=change.reason)
        case RateChange():
            return RatedNotice(**common, stars=change.stars)
        case CloseChange():
            return ClosedNotice(**common, reason=change.reason)
        case WithdrawChange():
            return WithdrawnNotice(**common, reason=change.reason)
        case TransferChange():
            return TransferredNotice(**{**common, "region_code": change.to_region_code},
                                     from_region_code=change.from_region_code, to_region_code=change.to_region_code,
                                     reason=change.reason)
    typing.assert_never(change)


def notice_of_status(*, previous: Status, status: Status, tracking_id: str, occurred_at: datetime, region_code: str,
                     source_system: str, text: str | None = None, answer_due: datetime | None = None,
                     answer_days: int | None = None) -> AnyNotice:
    """The notice of a status a region reported; ``text`` is what the region wrote with it, if anything."""
    common: dict[str, Any] = {"tracking_id": tracking_id, "occurred_at": occurred_at, "status": status,
                              "region_code": region_code, "source_system": source_system}
    match status:
        case Status.VERIFIED if previous is Status.DISPOSITIONED:
            return ReturnedNotice(**common, reason=text)
        case Status.VERIFIED:
            return VerifiedNotice(**common)
        case Status.REJECTED:
            return RejectedNotice(**common, reason=text)
        case Status.POSTPONED:
            return PostponedNotice(**common, reason=text)
        case Status.DISPOSITIONED:
            return DispositionedNotice(**common)
        case Status.IN_PROGRESS if previous in (Status.RESOLVED, Status.CLOSED):
            return ReopenedNotice(**common, reason=text)
        case Status.IN_PROGRESS:
            return FollowedUpNotice(**common, text=text)
        case Status.RESOLVED:
            return ResolvedNotice(**common, text=text, answer_due=answer_due, answer_days=answer_days)
        case Status.CLOSED:
            return ClosedNotice(**common, reason=text)
        case Status.WITHDRAWN:
            return WithdrawnNotice(**common, reason=text)
    return StatusChangedNotice(**common, previous=previous)


# -- storing a notice --------------------------------------------------------------------------


def notice_payload(notice: Notice) -> dict[str, Any]:
    return to_payload(notice)


def notice_from_payload(kind: str, payload: dict[str, Any]) -> AnyNotice:
    """The notice stored as ``kind`` and ``payload``; :class:`~hub.domain.changes.ChangeFormatError` if unreadable."""
    try:
        cls = NOTICE_TYPES[NoticeKind(kind)]
    except ValueError:
        raise ChangeFormatError(f"unknown notice kind {kind!r}") from None
    return typing.cast(AnyNotice, build_from_payload(cls, payload, kind))


def fields_of(notice: Notice) -> dict[str, Any]:
    """The notice's own fields (beyond the common ones), as stored."""
    common = {field.name for field in dataclasses.fields(Notice)}
    return {name: value for name, value in to_payload(notice).items() if name not in common}
