"""``hub simulate``: serve one simulator under uvicorn on 127.0.0.1."""

from __future__ import annotations

import uvicorn

from hub.simulators.apps import create_app
from hub.simulators.config import SimulatorConfig


def serve(config: SimulatorConfig, *, port: int, host: str = "127.0.0.1") -> None:
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning")
