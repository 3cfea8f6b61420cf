"""Per-request faults: latency, hangs past a client's timeout, 5xx answers,
and HTML pages answered with status 200 where the API's answer belongs (what
a client meets behind a maintenance page or a captive portal).

Applied to every path but ``/_admin``.
"""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Receive, Scope, Send

from hub.simulators.state import SimulatorState

HTML_PAGES = (
    """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>Sedang Dalam Pemeliharaan</title></head>
<body><h1>Mohon maaf, layanan sedang dalam pemeliharaan</h1>
<p>Sistem pengaduan sedang diperbarui dan akan kembali dalam beberapa saat. Terima kasih atas kesabaran Anda.</p>
</body></html>
""",
    """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>Login Hotspot</title></head>
<body><h1>Selamat datang di jaringan Wi-Fi Pemda</h1>
<form method="post" action="/login"><label>Nama pengguna <input name="username"></label>
<label>Kata sandi <input name="password" type="password"></label><button>Masuk</button></form>
</body></html>
""",
)


class FaultMiddleware:
    def __init__(self, app: ASGIApp, state: SimulatorState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _route_path(scope).startswith("/_admin"):
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
        if faults.draw_html():
            page = HTML_PAGES[faults.rng.randrange(len(HTML_PAGES))].encode()
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"text/html; charset=utf-8")]})
            await send({"type": "http.response.body", "body": page})
            return
        await self.app(scope, receive, send)


def _route_path(scope: Scope) -> str:
    """The path inside this app, also when it is mounted under a prefix (``hub simulate many``)."""
    path, root = scope["path"], scope.get("root_path", "")
    return path[len(root):] if root and path.startswith(root) else path
