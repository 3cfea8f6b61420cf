"""Typed results of mutations: the changed object, or an error a user can act on.

Errors are data, not exceptions: every error type implements the ``Error``
interface (``message``, ``code`` from :class:`hub.resolvers.errors.ErrorCode`,
``field``), so a client handles them all with one ``... on Error`` and shows
``message``; ``IllegalTransitionError`` names the current status and the
action, ``ValidationError`` the field, ``NotAllowedError`` who may.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay

from hub.domain import global_ids
from hub.domain.actions import Deed
from hub.domain.changes import ChangeKind
from hub.domain.lifecycle import Action
from hub.domain.notices import NoticeKind
from hub.resolvers.errors import ErrorCode as ErrorCodeValue
from hub.resolvers.failures import Illegal, Invalid, Missing, MutationFailure, Refused
from hub.schema.types.complaint import Complaint
from hub.schema.types.enums import ComplaintStatus, OutboxChange, WebhookEventKind
from hub.store.outbox_models import OutboxRow
from hub.store.outbox_models import OutboxStatus as OutboxStatusValue

OutboxStatus = OutboxStatusValue
strawberry.enum(
    OutboxStatus, name="OutboxStatus",
    description="PENDING, DELIVERED, DEAD (gave up after the configured attempts), MANUAL (the "
                "region's app takes no writes: its admin types the change in) or DONE (manual work "
                "done)")


@strawberry.type(description="A complaint a mutation submitted or changed")
class ComplaintPayload:
    complaint: Complaint = strawberry.field(description="The complaint as it now stands")
    secret_code: str | None = strawberry.field(
        default=None, description="Given once, on submission: with the tracking id it opens the complaint to "
                                  "whoever filed it (openComplaint); keep it, it cannot be shown again")


ErrorCode = ErrorCodeValue
strawberry.enum(
    ErrorCode, name="ErrorCode",
    description="What kind of refusal: the `code` of every typed error, and `extensions.code` of a query's error")
ComplaintActionValue = enum.Enum(  # type: ignore[misc]
    "ComplaintActionValue", {name: name.lower() for name in sorted({*Action.__members__, *Deed.__members__})})
ComplaintAction = ComplaintActionValue
strawberry.enum(
    ComplaintAction, name="ComplaintAction",
    description="Something done to a complaint: a lifecycle step (VERIFY, RESOLVE...) or an act on it (COMMENT, "
                "RATE, MERGE...)")


@strawberry.interface(description="A refusal a client can act on: every mutation's result union has its kinds; "
                                  "switch on `code` (or `__typename`) and show `message`")
class Error:
    message: str = strawberry.field(description="What was refused, in words to show the user")
    code: ErrorCode = strawberry.field(description="What kind of refusal it is")
    field: str | None = strawberry.field(
        default=None, description="The input field at fault (e.g. title, agencyId); null when none is")


@strawberry.type(description="Too many attempts; try again after `retryAfterSeconds`")
class RateLimitedError(Error):
    retry_after_seconds: int = strawberry.field(description="Seconds to wait before trying again")
    code: ErrorCode = strawberry.field(default=ErrorCodeValue.RATE_LIMITED, description="Always RATE_LIMITED")


@strawberry.type(description="Your role or scope does not allow this; `allowed` says who may")
class NotAllowedError(Error):
    allowed: list[str] = strawberry.field(description="Who may do it")
    code: ErrorCode = strawberry.field(default=ErrorCodeValue.FORBIDDEN, description="Always FORBIDDEN")


@strawberry.type(description="The complaint's current status does not allow this action")
class IllegalTransitionError(Error):
    current_status: ComplaintStatus = strawberry.field(description="The complaint's status now")
    action: ComplaintAction = strawberry.field(description="The action refused, e.g. VERIFY or RESOLVE")
    code: ErrorCode = strawberry.field(default=ErrorCodeValue.ILLEGAL_TRANSITION,
                                       description="Always ILLEGAL_TRANSITION")


@strawberry.type(description="Nothing you may see has this id")
class NotFoundError(Error):
    code: ErrorCode = strawberry.field(default=ErrorCodeValue.NOT_FOUND, description="Always NOT_FOUND")


@strawberry.type(description="An input was refused; `field` names it")
class ValidationError(Error):
    field: str = strawberry.field(
        default="", description="The input field at fault, e.g. title; empty when it is the input as a whole")
    code: ErrorCode = strawberry.field(default=ErrorCodeValue.BAD_USER_INPUT, description="Always BAD_USER_INPUT")


_CHANGES = frozenset(kind.value for kind in ChangeKind)  # an outbox row's kind: a change for a region...
_NOTICES = frozenset(kind.value for kind in NoticeKind)  # ...or a notice for a reporter or a subscriber


@strawberry.type(description="A change waiting for, or delivered to, a regional app; MANUAL items are work for its admin")
class OutboxItem(relay.Node):
    id: relay.NodeID[int]
    complaint_id: strawberry.ID = strawberry.field(description="The complaint's global id")
    tracking_id: str = strawberry.field(description="The complaint's national tracking id")
    region_code: str = strawberry.field(description="Kemendagri code of the region whose app the change is for")
    source_system: str = strawberry.field(description="The regional app it goes to, e.g. open311:61.71")
    kind: str = strawberry.field(
        description="The change or notice as stored: submit, verify, ... for a region, complaint.verified, ... "
                    "for a notification", deprecation_reason="Use `change` (to a region) or `notice` (a notification)")
    change: OutboxChange | None = strawberry.field(
        description="The change the regional app is sent; null for a notification")
    notice: WebhookEventKind | None = strawberry.field(
        description="What a notification (e-mail, SMS, webhook) tells of; null for a change sent to a region")
    status: OutboxStatus = strawberry.field(
        description="Whether it is waiting, delivered, given up, or manual work for the region's admin")
    attempts: int = strawberry.field(description="Delivery attempts made so far")
    next_attempt_at: datetime = strawberry.field(description="When the next attempt is due (UTC)")
    last_error: str | None = strawberry.field(description="The latest failed attempt's error; null when none failed")
    created_at: datetime = strawberry.field(description="When the change was made in the hub (UTC)")
    delivered_at: datetime | None = strawberry.field(
        description="When the regional app accepted it (UTC); null until then")
    handled_by: str | None = strawberry.field(description="The admin who marked manual work done; null otherwise")
    payload: strawberry.scalars.JSON = strawberry.field(
        description="The change as sent to the regional app; an anonymous complaint's carries no contact")

    @classmethod
    def of(cls, row: OutboxRow) -> OutboxItem:
        payload: dict[str, Any] = dict(row.payload or {})  # an anonymous complaint's change carries no contact
        return cls(id=row.id, complaint_id=strawberry.ID(global_ids.encode("Complaint", row.complaint_id)),
                   tracking_id=str(payload.get("tracking_id", "")), region_code=row.region_code,
                   source_system=row.source_system, kind=row.kind, status=row.status,
                   change=ChangeKind(row.kind) if row.kind in _CHANGES else None,
                   notice=NoticeKind(row.kind) if row.kind in _NOTICES else None,
                   attempts=row.attempts, next_attempt_at=row.next_attempt_at, last_error=row.last_error,
                   created_at=row.created_at, delivered_at=row.delivered_at, handled_by=row.handled_by,
                   payload=strawberry.scalars.JSON(payload))


@strawberry.type(description="An outbox item a mutation changed")
class OutboxItemPayload:
    item: OutboxItem = strawberry.field(description="The item as it now stands")


ComplaintResult = Annotated[
    ComplaintPayload | NotAllowedError | IllegalTransitionError | NotFoundError | ValidationError,
    strawberry.union("ComplaintResult"),
]
OutboxResult = Annotated[
    OutboxItemPayload | NotAllowedError | NotFoundError | ValidationError, strawberry.union("OutboxResult")
]


def error_of(failure: MutationFailure) -> Any:
    """The typed error of a refused mutation."""
    match failure:
        case Refused():
            return NotAllowedError(message=failure.message, allowed=list(failure.allowed))
        case Illegal():
            assert failure.current is not None
            return IllegalTransitionError(message=failure.message, current_status=failure.current,
                                          action=ComplaintActionValue(failure.action or "verify"))
        case Missing():
            return NotFoundError(message=failure.message)
        case Invalid():
            return ValidationError(message=failure.message, field=failure.field)
    return ValidationError(message=failure.message, field="")


def error_outside_lifecycle(failure: MutationFailure) -> NotAllowedError | NotFoundError | ValidationError:
    """The error of a mutation that moves no complaint through its lifecycle, whose result union has no
    IllegalTransitionError."""
    error = error_of(failure)
    if isinstance(error, IllegalTransitionError):
        raise TypeError(f"a mutation outside the lifecycle refused a transition: {failure.message}")
    return error
