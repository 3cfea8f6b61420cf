"""ASGI entry point: ``uvicorn server:app`` or ``python server.py``."""

from __future__ import annotations

from hub.app import create_app
from hub.settings import ConfigError, get_settings

try:
    app = create_app()
except ConfigError as exc:  # one line that says which setting and what to do, not a traceback
    raise SystemExit(str(exc)) from None

if __name__ == "__main__":
    import uvicorn

    settings = get_settings()
    uvicorn.run(app, host=settings.host, port=settings.port)
