"""Per-request faults: latency, hangs past a client's timeout, 5xx answers.

Applied to every path but ``/_admin``.
"""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Receive, Scope, Send

from hub.simulators.state import SimulatorState


class FaultMiddleware:
    def __init__(self, app: ASGIApp, state: SimulatorState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_admin"):
            await self.app(scope, receive, send)
            return
        faults = self.state.faults
        if faults.config.latency_ms:
            await asyncio.sleep(faults.config.latency_ms / 1000)
        if faults.draw_hang():
            await asyncio.sleep(faults.config.hang_seconds)
        if faults.draw_error():
            body = json.dumps({"error": "simulated server error"}).encode()
            await send({"type": "http.response.start", "status": 503,
                        "headers": [(b"content-type", b"application/json"), (b"retry-after", b"0")]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)
