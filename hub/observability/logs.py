"""JSON logs, one object per line, with the request id of the request being served.

Messages and tracebacks pass through :func:`hub.domain.redaction.redact_text`,
so an e-mail address, phone number or NIK in an error never reaches a log.

:class:`RequestIdMiddleware` takes ``X-Request-ID`` from the caller (or makes
one), keeps it in a context variable for the formatter, echoes it in the
response and logs one access line per HTTP request.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.domain.redaction import redact_text

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
access_log = logging.getLogger("hub.access")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact_text(record.getMessage()),  # no e-mail, phone or NIK ever reaches a log
            "request_id": request_id.get(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            entry["exception"] = redact_text(self.formatException(record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    """Send every log line to stderr as JSON (idempotent)."""
    from hub.startup import HideStartupTraceback

    root = logging.getLogger()
    if any(getattr(h, "_hub_json", False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(HideStartupTraceback())
    handler._hub_json = True  # type: ignore[attr-defined]  # marks the handler so a second call adds none
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True
    # Every scheduled job and outgoing request at INFO would drown what matters;
    # the hub logs its own sync outcomes and failures.
    for name in ("apscheduler", "httpx"):
        logging.getLogger(name).setLevel(max(level, logging.WARNING))


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        given = headers.get("x-request-id", "")
        rid = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            access_log.info("%s %s %s", scope.get("method"), scope.get("path"), status,
                            extra={"method": scope.get("method"), "path": scope.get("path"), "status": status,
                                   "duration_ms": round((time.perf_counter() - started) * 1000, 2)})
            request_id.reset(token)
