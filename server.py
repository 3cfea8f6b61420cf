"""ASGI entry point: ``uvicorn server:app`` or ``python server.py``."""

from __future__ import annotations

from hub.app import create_app
from hub.settings import get_settings

app = create_app()

if __name__ == "__main__":
    import uvicorn

    settings = get_settings()
    uvicorn.run(app, host=settings.host, port=settings.port)
