"""ASGI entry point: ``uvicorn server:app`` or ``python server.py``.

``HUB_ROLE`` says what the process plays: ``all`` (default, API and schedule),
``api`` (API only) or ``worker`` (schedule and jobs, health endpoints only).
"""

from __future__ import annotations

from hub.app import create_app
from hub.settings import ConfigError, get_settings
from hub.worker import create_worker_app

try:
    app = create_worker_app() if get_settings().role == "worker" else create_app()
except ConfigError as exc:  # one line that says which setting and what to do, not a traceback
    raise SystemExit(str(exc)) from None

if __name__ == "__main__":
    import uvicorn

    settings = get_settings()
    uvicorn.run(app, host=settings.host, port=settings.port)
