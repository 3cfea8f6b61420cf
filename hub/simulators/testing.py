"""Running an ASGI app under a real uvicorn server on an ephemeral 127.0.0.1 port."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


@contextmanager
def running_app(app: Any, *, startup_timeout: float = 20.0, port: int = 0) -> Iterator[str]:
    """Serve ``app`` in a background thread; yield its base URL; stop it after.

    ``port`` 0 takes a free one; a given port serves the app again where it was (a server back after an outage).
    """
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
