"""Delivering a webhook event: one signed POST of the stored body.

The body is serialised the same way on every attempt (sorted keys, compact);
``webhook-id`` is the outbox row's idempotency key, so a receiver that saw a
message already can drop the repeat. Redirects are not followed: a
subscriber gives the URL that answers. Any 2xx is delivered; 429 and 5xx, a
timeout or a refused connection are tried again later; another 4xx is dead
at once (the receiver refuses it: a wrong secret or URL wants a person).
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from hub.connectors.records import FatalError, RetryableError
from hub.notify.signing import signed_headers


def body_bytes(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class WebhookChannel:
    def __init__(self, client: httpx.AsyncClient, *, timeout: float) -> None:
        self.client = client
        self.timeout = timeout

    async def send(self, *, url: str, secret: str, message_id: str, body: dict[str, Any]) -> str:
        raw = body_bytes(body)
        headers = {"content-type": "application/json", "user-agent": "lapor-hub-webhooks",
                   **signed_headers(secret, message_id, raw)}
        try:
            response = await self.client.post(url, content=raw, headers=headers, timeout=self.timeout,
                                              follow_redirects=False)
        except httpx.TimeoutException:
            raise RetryableError(f"{url} timed out") from None
        except httpx.TransportError as exc:
            raise RetryableError(f"{url} cannot be reached: {exc!r}") from None
        if response.status_code == 429 or response.status_code >= 500:
            raise RetryableError(f"{url} answered {response.status_code}")
        if not 200 <= response.status_code < 300:
            raise FatalError(f"{url} answered {response.status_code}: {response.text[:200]}")
        return str(response.status_code)
