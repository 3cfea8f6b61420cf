"""How a caller of the REST app proves who it is, one way per ``auth`` habit.

- ``header``: ``X-API-Key: <api_key>``;
- ``bearer``: ``Authorization: Bearer <api_key>`` (RFC 6750);
- ``basic``: ``Authorization: Basic base64(username:password)`` (RFC 7617);
- ``query``: ``?api_key=<api_key>`` on every call, writes included.

Only the declared way counts: a valid key sent another way is refused like a
wrong one. Refusals answer 401 with the app's error body and, for the two
``Authorization`` schemes, the ``WWW-Authenticate`` challenge real servers send.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from starlette.requests import Request
from starlette.responses import JSONResponse

from hub.simulators.config import SimulatorConfig
from hub.simulators.habits import Auth

REALM = "SIPADU"


def refusal(auth: Auth, config: SimulatorConfig, request: Request) -> JSONResponse | None:
    """None when the request carries the right credentials; else the 401 answer."""
    match auth:
        case "header":
            if _same(request.headers.get("x-api-key"), config.api_key):
                return None
            return _refuse("API key salah atau tidak ada (header X-API-Key)")
        case "query":
            if _same(request.query_params.get("api_key"), config.api_key):
                return None
            return _refuse("API key salah atau tidak ada (parameter api_key)")
        case "bearer":
            scheme, _, token = request.headers.get("authorization", "").partition(" ")
            if scheme.casefold() == "bearer" and _same(token.strip(), config.api_key):
                return None
            challenge = f'Bearer realm="{REALM}"' + (', error="invalid_token"' if scheme.casefold() == "bearer" else "")
            return _refuse("token tidak valid atau tidak ada (header Authorization: Bearer)", challenge)
        case "basic":
            scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
            if scheme.casefold() == "basic" and _basic_matches(encoded.strip(), config):
                return None
            return _refuse("nama pengguna atau kata sandi salah", f'Basic realm="{REALM}", charset="UTF-8"')
    raise ValueError(f"unknown auth habit {auth!r}")


def _basic_matches(encoded: str, config: SimulatorConfig) -> bool:
    try:
        user, colon, password = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return bool(colon) and _same(user, config.username) and _same(password, config.password)


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _refuse(message: str, challenge: str | None = None) -> JSONResponse:
    headers = {"www-authenticate": challenge} if challenge else None
    return JSONResponse({"error": message}, status_code=401, headers=headers)
