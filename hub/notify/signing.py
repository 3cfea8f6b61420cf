"""Signing webhook deliveries as the Standard Webhooks convention does.

Each delivery carries three headers::

    webhook-id:        the message id (the outbox row's idempotency key; the same on every retry)
    webhook-timestamp: seconds since the epoch when this attempt was signed
    webhook-signature: v1,<base64 HMAC-SHA256 over "{id}.{timestamp}.{body}">

The key is the secret's base64 part after ``whsec_``. A receiver recomputes
the HMAC over the raw body it received, compares in constant time, and
refuses a timestamp more than five minutes from its own clock (a replay).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

PREFIX = "whsec_"
TOLERANCE_SECONDS = 300


class SignatureError(ValueError):
    """A delivery whose headers are missing, stale, or whose signature does not match."""


def new_secret() -> str:
    """A fresh signing secret, ``whsec_`` and 32 random bytes in base64."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    raw = secret.removeprefix(PREFIX)
    try:
        key = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
    except ValueError:
        raise SignatureError("the webhook secret is not whsec_ followed by base64") from None
    if not key:
        raise SignatureError("the webhook secret is empty")
    return key


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(_key(secret), f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(secret: str, message_id: str, body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
    moment = int(time.time()) if timestamp is None else timestamp
    return {"webhook-id": message_id, "webhook-timestamp": str(moment),
            "webhook-signature": signature(secret, message_id, moment, body)}


def verify(secret: str, headers: dict[str, str], body: bytes, *, now: float | None = None) -> None:
    """Raise :class:`SignatureError` unless ``body`` and ``headers`` were signed with ``secret`` just now."""
    given = {name.lower(): value for name, value in headers.items()}
    message_id, stamp, signatures = given.get("webhook-id"), given.get("webhook-timestamp"), given.get("webhook-signature")
    if not (message_id and stamp and signatures):
        raise SignatureError("webhook-id, webhook-timestamp and webhook-signature are required")
    try:
        moment = int(stamp)
    except ValueError:
        raise SignatureError("webhook-timestamp is not a number of seconds") from None
    if abs((time.time() if now is None else now) - moment) > TOLERANCE_SECONDS:
        raise SignatureError("webhook-timestamp is more than five minutes away")
    expected = signature(secret, message_id, moment, body).encode()
    if not any(hmac.compare_digest(expected, candidate.encode()) for candidate in signatures.split(" ")):
        raise SignatureError("no signature matches")
