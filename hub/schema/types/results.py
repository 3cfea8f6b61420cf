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

OutboxStatus = strawberry.enum(OutboxStatusValue, name="OutboxStatus")


@strawberry.type
class ComplaintPayload:
    complaint: Complaint
    secret_code: str | None = strawberry.field(
        default=None, description="Given once, on submission: with the tracking id it opens the complaint to "
                                  "whoever filed it (openComplaint); keep it, it cannot be shown again")


@strawberry.type(description="Too many attempts; try again after `retryAfterSeconds`")
class RateLimitedError:
    message: str
    retry_after_seconds: int
    code: str = "RATE_LIMITED"


@strawberry.type
class NotAllowedError:
    message: str
    allowed: list[str] = strawberry.field(description="Who may do it")


@strawberry.type
class IllegalTransitionError:
    message: str
    current_status: ComplaintStatus
    action: str


@strawberry.type
class NotFoundError:
    message: str


@strawberry.type
class ValidationError:
    message: str
    field: str


@strawberry.type(description="A change waiting for, or delivered to, a regional app; MANUAL items are work for its admin")
class OutboxItem:
    id: int
    complaint_id: int
    tracking_id: str
    region_code: str
    source_system: str
    kind: str
    status: OutboxStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    handled_by: str | None
    payload: strawberry.scalars.JSON

    @classmethod
    def of(cls, row: OutboxRow) -> OutboxItem:
        payload: dict[str, Any] = dict(row.payload or {})  # an anonymous complaint's change carries no contact
        return cls(id=row.id, complaint_id=row.complaint_id, tracking_id=str(payload.get("tracking_id", "")),
                   region_code=row.region_code, source_system=row.source_system, kind=row.kind, status=row.status,
                   attempts=row.attempts, next_attempt_at=row.next_attempt_at, last_error=row.last_error,
                   created_at=row.created_at, delivered_at=row.delivered_at, handled_by=row.handled_by,
                   payload=payload)


@strawberry.type
class OutboxItemPayload:
    item: OutboxItem


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
