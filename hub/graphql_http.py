"""GraphQL over HTTP: the ``application/graphql-response+json`` media type.

A client that asks for ``application/graphql-response+json`` (in ``Accept``,
at least as strongly as ``application/json``) gets it, with the status codes
the GraphQL-over-HTTP specification recommends: 400 for a request that could
not be executed at all (it does not parse, does not validate, or its variables
do not fit), with no ``data`` entry; 200 whenever execution began, field
errors included. Every other client gets ``application/json`` and 200, as
before. Refusals decided before GraphQL runs (401, 413, 429) keep their codes.
"""

from __future__ import annotations

from typing import Any

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def _quality(accept: str, media_type: str) -> float:
    """The quality ``accept`` gives ``media_type``: its own entry's, else the best wildcard's, else 0."""
    exact: float | None = None
    wildcard = 0.0
    for part in accept.split(","):
        kind, *params = (piece.strip() for piece in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if kind == media_type:
            exact = q if exact is None else max(exact, q)
        elif kind in ("*/*", media_type.split("/")[0] + "/*"):
            wildcard = max(wildcard, q)
    return exact if exact is not None else wildcard


def wants_graphql_response(accept: str | None) -> bool:
    """Whether ``Accept`` prefers ``application/graphql-response+json`` (ties go to it, as the spec asks)."""
    if not accept or GRAPHQL_RESPONSE not in accept.lower():
        return False
    wanted = _quality(accept.lower(), GRAPHQL_RESPONSE)
    return wanted > 0 and wanted >= _quality(accept.lower(), JSON)


def is_request_error(result: Any) -> bool:
    """An answer to a request that never executed: no data, and no error raised at a field."""
    if not isinstance(result, dict) or result.get("data") is not None:
        return False
    errors = result.get("errors") or []
    return bool(errors) and all(not error.get("path") for error in errors)
