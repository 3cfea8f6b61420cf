"""Short-lived signed download links.

A link names an attachment and the moment it stops working, signed with a
key derived from the hub's secret::

    {HUB_PUBLIC_URL}/files/{id}?expires=1767225600&signature=<base64url HMAC-SHA256>

The caller's scope is checked when the link is made (an attachment is listed
only on a complaint the caller may see); the link itself is the permission,
so it is short (``HUB_ATTACHMENT_URL_SECONDS``, 15 minutes by default). A
link pushed to a regional app, fetched later, lasts ``HUB_ATTACHMENT_PUSH_URL_DAYS``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from urllib.parse import urlencode

_LABEL = b"lapor-hub attachment links v1"


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), _LABEL, hashlib.sha256).digest()


def signature(secret: str, attachment_id: int, expires: int) -> str:
    digest = hmac.new(_key(secret), f"{attachment_id}.{expires}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def signed_url(public_url: str, secret: str, attachment_id: int, *, expires_at: datetime) -> str:
    expires = int(expires_at.timestamp())
    query = urlencode({"expires": expires, "signature": signature(secret, attachment_id, expires)})
    return f"{public_url.rstrip('/')}/files/{attachment_id}?{query}"


def valid(secret: str, attachment_id: int, expires: str | None, given: str | None, *, now: datetime) -> bool:
    """Whether a link's ``expires`` and ``signature`` are the hub's own and still good."""
    if not expires or not given or not expires.isdigit():
        return False
    if int(expires) < now.timestamp():
        return False
    return hmac.compare_digest(signature(secret, attachment_id, int(expires)), given)
