"""Building a simulator app from its configuration."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hub.simulators.admin import admin_routes
from hub.simulators.config import SimulatorConfig
from hub.simulators.csv_app import CsvApp
from hub.simulators.middleware import FaultMiddleware
from hub.simulators.open311.app import Open311App
from hub.simulators.rest import RestApp
from hub.simulators.state import SimulatorState


async def _activity(state: SimulatorState) -> None:
    interval = 1.0 / state.config.activity
    while True:
        await asyncio.sleep(interval)
        state.tick()


def create_app(config: SimulatorConfig) -> Starlette:
    state = SimulatorState(config)
    app_kind: Any = {"rest": RestApp, "open311": Open311App, "csv": CsvApp}[config.kind](state)
    render = app_kind.ground_truth_record if hasattr(app_kind, "ground_truth_record") else app_kind.render

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "kind": config.kind, "region": config.region_code})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(_activity(state)) if config.activity > 0 else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app = Starlette(
        routes=[*app_kind.routes(), *admin_routes(state, render), Route("/_admin/healthz", healthz),
                *(app_kind.fallback_routes() if hasattr(app_kind, "fallback_routes") else [])],
        middleware=[Middleware(FaultMiddleware, state=state)],
        lifespan=lifespan,
    )
    app.state.simulator = state
    return app
