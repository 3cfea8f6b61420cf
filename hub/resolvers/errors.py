"""Errors a caller can act on. They always reach the caller, even in production,
where every other error is masked."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError


class UserFacingError(GraphQLError):
    code = "BAD_USER_INPUT"

    def __init__(self, message: str, *, field: str | None = None, **extensions: Any) -> None:
        details: dict[str, Any] = {"code": self.code, **extensions}
        if field:
            details["field"] = field
        super().__init__(message, extensions=details)


class BadInput(UserFacingError):
    code = "BAD_USER_INPUT"


class NotAllowed(UserFacingError):
    code = "FORBIDDEN"
