"""Errors a caller can act on. They always reach the caller, even in production,
where every other error is masked."""

from __future__ import annotations

import enum
from typing import Any

from graphql import GraphQLError


class ErrorCode(enum.StrEnum):
    """One vocabulary for refusals: a typed error's ``code`` and a thrown error's ``extensions.code``."""

    BAD_USER_INPUT = "BAD_USER_INPUT"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    NOT_FOUND = "NOT_FOUND"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
    RATE_LIMITED = "RATE_LIMITED"


class UserFacingError(GraphQLError):
    code = ErrorCode.BAD_USER_INPUT.value

    def __init__(self, message: str, *, field: str | None = None, **extensions: Any) -> None:
        details: dict[str, Any] = {"code": self.code, **extensions}
        if field:
            details["field"] = field
        super().__init__(message, extensions=details)


class BadInput(UserFacingError):
    code = ErrorCode.BAD_USER_INPUT.value


class NotAllowed(UserFacingError):
    code = ErrorCode.FORBIDDEN.value
