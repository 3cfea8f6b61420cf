"""SMS to reporters through a gateway: a small protocol, and one HTTP implementation.

Indonesian SMS gateways differ in URL, body and authentication, so the HTTP
gateway is configured rather than coded: ``HUB_SMS_URL``, a body template
(``HUB_SMS_BODY_TEMPLATE``, JSON or form fields, with ``{to}``, ``{text}`` and
``{id}`` filled in and escaped for the format) and an auth header
(``HUB_SMS_AUTH_HEADER`` / ``HUB_SMS_AUTH_VALUE``). Every request carries an
``Idempotency-Key``. A province whose provider speaks something else plugs in
its own class under the entry point group ``lapor_hub.sms_gateways`` and names
it in ``HUB_SMS_GATEWAY``.
"""

from __future__ import annotations

import json
from importlib.metadata import entry_points
from typing import Any, Protocol
from urllib.parse import parse_qsl

import httpx

from hub.connectors.records import FatalError, RetryableError
from hub.domain.messages import SmsMessage
from hub.settings import Settings

ENTRY_POINT_GROUP = "lapor_hub.sms_gateways"


class SmsGateway(Protocol):
    """Sends one SMS; raises RetryableError or FatalError; returns the gateway's word on it."""

    async def send(self, message: SmsMessage, *, message_id: str) -> str: ...


def _fill(template: Any, values: dict[str, str]) -> Any:
    if isinstance(template, str):
        for name, value in values.items():
            template = template.replace("{" + name + "}", value)
        return template
    if isinstance(template, dict):
        return {key: _fill(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [_fill(value, values) for value in template]
    return template


class HttpSmsGateway:
    def __init__(self, settings: Settings, client: httpx.AsyncClient) -> None:
        if not settings.sms_url:
            raise ValueError("HUB_SMS_URL is not set")
        self.url = settings.sms_url
        self.template = settings.sms_body_template
        self.format = settings.sms_body_format
        self.auth_header = settings.sms_auth_header
        self.auth_value = settings.sms_auth_value.get_secret_value() if settings.sms_auth_value else None
        self.client = client
        self.timeout = settings.sms_timeout_seconds

    def body(self, message: SmsMessage, message_id: str) -> dict[str, Any]:
        values = {"to": message.to, "text": message.text, "id": message_id}
        if self.format == "json":
            return {"json": _fill(json.loads(self.template), values)}
        return {"data": {key: _fill(value, values) for key, value in parse_qsl(self.template, keep_blank_values=True)}}

    async def send(self, message: SmsMessage, *, message_id: str) -> str:
        headers = {"Idempotency-Key": message_id}
        if self.auth_header and self.auth_value:
            headers[self.auth_header] = self.auth_value
        try:
            response = await self.client.post(self.url, headers=headers, timeout=self.timeout,
                                              **self.body(message, message_id))
        except httpx.TimeoutException:
            raise RetryableError(f"SMS gateway {self.url} timed out") from None
        except httpx.TransportError as exc:
            raise RetryableError(f"SMS gateway {self.url} cannot be reached: {exc!r}") from None
        if response.status_code == 429 or response.status_code >= 500:
            raise RetryableError(f"SMS gateway answered {response.status_code}")
        if response.status_code >= 400:
            raise FatalError(f"SMS gateway refused the message: {response.status_code} {response.text[:200]}")
        return f"{response.status_code} {response.text[:200]}".strip()


def load_sms_gateway(name: str, settings: Settings, client: httpx.AsyncClient) -> SmsGateway:
    """The gateway registered as ``name`` (``http`` is built in), made from the settings."""
    for entry in entry_points(group=ENTRY_POINT_GROUP, name=name):
        return entry.load()(settings, client)
    if name == "http":
        return HttpSmsGateway(settings, client)
    raise ValueError(f"unknown SMS gateway {name!r} (HUB_SMS_GATEWAY); register it under {ENTRY_POINT_GROUP}")
