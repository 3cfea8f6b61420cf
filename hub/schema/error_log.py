"""How GraphQL errors reach the log.

A refusal the caller can act on (a validation error, a bad argument, a
permission refusal, a missing complaint) is the API working as designed: it
is logged at INFO in one line, with its code and path. Only errors raised by
code (bugs, a database gone away) are logged at ERROR with their traceback.
"""

from __future__ import annotations

import logging
from typing import Any

import strawberry.federation
from graphql import GraphQLError
from strawberry.utils.logging import StrawberryLogger

from hub.resolvers.errors import UserFacingError

log = logging.getLogger("hub.graphql")


def is_refusal(error: GraphQLError) -> bool:
    original = error.original_error
    return original is None or isinstance(original, (UserFacingError, GraphQLError))


class Schema(strawberry.federation.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        for error in errors:
            if is_refusal(error):
                code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
                path = ".".join(str(p) for p in error.path or ())
                log.info("refused %s%s: %s", code, f" at {path}" if path else "", error.message)
            else:
                StrawberryLogger.error(error, execution_context)
