"""Typed results of mutations: the changed object, or an error a user can act on.

Errors are data, not exceptions: a client switches on ``__typename`` and
shows ``message``; ``IllegalTransitionError`` names the current status and
the action, ``ValidationError`` the field, ``NotAllowedError`` who may.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry

from hub.resolvers.mutations import Illegal, Invalid, Missing, MutationFailure, Refused
from hub.schema.types.complaint import Complaint
from hub.schema.types.enums import ComplaintStatus
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


@strawberry.type(description="Too many attempts; try again after `retryAfterSeconds`")
class RateLimitedError:
    message: str = strawberry.field(description="What went wrong, in words to show the user")
    retry_after_seconds: int = strawberry.field(description="Seconds to wait before trying again")
    code: str = strawberry.field(default="RATE_LIMITED", description="Always RATE_LIMITED")


@strawberry.type(description="Your role or scope does not allow this; `allowed` says who may")
class NotAllowedError:
    message: str = strawberry.field(description="What was refused, in words to show the user")
    allowed: list[str] = strawberry.field(description="Who may do it")


@strawberry.type(description="The complaint's current status does not allow this action")
class IllegalTransitionError:
    message: str = strawberry.field(description="What was refused, in words to show the user")
    current_status: ComplaintStatus = strawberry.field(description="The complaint's status now")
    action: str = strawberry.field(description="The action refused, e.g. verify or resolve")


@strawberry.type(description="Nothing you may see has this id")
class NotFoundError:
    message: str = strawberry.field(description="What was not found, in words to show the user")


@strawberry.type(description="An input was refused; `field` names it")
class ValidationError:
    message: str = strawberry.field(description="What is wrong with the input, in words to show the user")
    field: str = strawberry.field(
        description="The input field at fault, e.g. title; empty when it is the input as a whole")


@strawberry.type(description="A change waiting for, or delivered to, a regional app; MANUAL items are work for its admin")
class OutboxItem:
    id: int = strawberry.field(description="The item's number in the outbox")
    complaint_id: int = strawberry.field(description="The complaint's number in the hub (the id inside its global id)")
    tracking_id: str = strawberry.field(description="The complaint's national tracking id")
    region_code: str = strawberry.field(description="Kemendagri code of the region whose app the change is for")
    source_system: str = strawberry.field(description="The regional app it goes to, e.g. open311:61.71")
    kind: str = strawberry.field(
        description="The change: submit, verify, reject, postpone, add_detail, disposition, return, "
                    "follow_up, comment, resolve, reopen, rate, close or withdraw")
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
        return cls(id=row.id, complaint_id=row.complaint_id, tracking_id=str(payload.get("tracking_id", "")),
                   region_code=row.region_code, source_system=row.source_system, kind=row.kind, status=row.status,
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

Error = NotAllowedError | IllegalTransitionError | NotFoundError | ValidationError


def error_of(failure: MutationFailure) -> Error:
    match failure:
        case Refused():
            return NotAllowedError(message=failure.message, allowed=list(failure.allowed))
        case Illegal():
            assert failure.current is not None
            return IllegalTransitionError(message=failure.message, current_status=failure.current,
                                          action=failure.action or "")
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
