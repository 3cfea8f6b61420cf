"""The other ends of the notification channels, run for real on 127.0.0.1.

- an SMTP server (aiosmtpd) that keeps every message it is given;
- an SMS gateway (Starlette under uvicorn) that checks its auth header and keeps each request;
- a webhook receiver (Starlette under uvicorn) that verifies every delivery's
  signature with the Standard Webhooks reference library and keeps what it accepted.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hub.simulators.testing import running_app

SMS_TOKEN = "Bearer rahasia-gateway"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Mailbox:
    messages: list[email.message.EmailMessage] = field(default_factory=list)
    port: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def bodies(self) -> list[str]:
        return [m.get_content() for m in self.messages]  # type: ignore[attr-defined]


@contextlib.contextmanager
def smtp_server() -> Iterator[Mailbox]:
    mailbox = Mailbox(port=free_port())
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


@dataclass
class Gateway:
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    refused: int = 0


@contextlib.contextmanager
def sms_gateway() -> Iterator[Gateway]:
    gateway = Gateway(url="")

    async def send(request: Request) -> JSONResponse:
        if request.headers.get("authorization") != SMS_TOKEN:
            gateway.refused += 1
            return JSONResponse({"error": "unauthorised"}, status_code=401)
        gateway.requests.append({**await request.json(), "idempotency_key": request.headers.get("idempotency-key")})
        return JSONResponse({"status": "queued"}, status_code=202)

    with running_app(Starlette(routes=[Route("/send", send, methods=["POST"])])) as base:
        gateway.url = f"{base}/send"
        yield gateway


@dataclass
class Delivery:
    receiver: str
    message_id: str
    body: dict[str, Any]
    raw: str


@dataclass
class Receiver:
    """Accepts deliveries for named receivers, each verified with its own secret."""

    secrets: dict[str, str] = field(default_factory=dict)
    accepted: list[Delivery] = field(default_factory=list)
    bad_signatures: int = 0
    port: int = field(default_factory=free_port)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/hook/{name}"

    def app(self) -> Starlette:
        async def hook(request: Request) -> JSONResponse:
            name = request.path_params["name"]
            raw = await request.body()
            try:
                body = Webhook(self.secrets[name]).verify(raw, dict(request.headers))
            except (KeyError, WebhookVerificationError):
                self.bad_signatures += 1
                return JSONResponse({"error": "bad signature"}, status_code=401)
            self.accepted.append(Delivery(receiver=name, message_id=request.headers["webhook-id"], body=body,
                                          raw=raw.decode()))
            return JSONResponse({"ok": True})

        return Starlette(routes=[Route("/hook/{name}", hook, methods=["POST"])])

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        with running_app(self.app(), port=self.port):
            yield

    def of(self, name: str) -> list[Delivery]:
        return [d for d in self.accepted if d.receiver == name]


def notify_settings(mailbox: Mailbox | None = None, gateway: Gateway | None = None, **extra: Any) -> dict[str, Any]:
    """Hub settings that send e-mail to ``mailbox`` and SMS through ``gateway``."""
    settings: dict[str, Any] = {"public_url": "https://lapor.test", **extra}
    if mailbox is not None:
        settings.update(smtp_host="127.0.0.1", smtp_port=mailbox.port, smtp_security="none")
    if gateway is not None:
        settings.update(sms_url=gateway.url, sms_auth_value=SMS_TOKEN,
                        sms_body_template=json.dumps({"to": "{to}", "message": "{text}", "ref": "{id}"}))
    return settings


async def deliver_all(dispatcher: Any, *, now: Any = None, rounds: int = 20) -> None:
    """Let kicked rounds finish, then run rounds until nothing is left to do."""
    await dispatcher.settled()
    for _ in range(rounds):
        report = await dispatcher.run_once(now=now)
        if report.delivered == 0 and report.notices == 0 and report.failed == 0:
            return
