"""The worker role: the pull schedule, the outbox dispatcher and the periodic jobs, no API.

``hub worker`` (or ``HUB_ROLE=worker uvicorn server:app``) runs the same
:class:`~hub.app.Runtime` as the all-in-one hub with its schedule on, and
serves nothing but ``/healthz``, ``/readyz`` and ``/metrics`` (for the
process supervisor and Prometheus). Any number of workers and API processes
may share one PostgreSQL: a region's pull run and its pushes are taken under
its lock (:mod:`hub.sync.locks`), the deadline job under its own, so nothing
runs twice at once; see docs/deploy.md.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hub import startup
from hub.app import Runtime
from hub.observability import endpoints as observability_endpoints
from hub.observability.logs import configure_logging
from hub.settings import Settings, get_settings

log = logging.getLogger("hub.worker")


def create_worker_app(settings: Settings | None = None) -> Starlette:
    """A worker whose only HTTP surface is its health: ``/healthz``, ``/readyz``, ``/metrics``."""
    settings = settings or get_settings()
    runtime = Runtime(settings, schedule=True)

    async def healthz(request: Request) -> JSONResponse:
        try:
            assert runtime.engine is not None
            async with runtime.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:  # any failure means unhealthy
            log.warning("health check failed: %s", exc)
            return JSONResponse({"status": "unavailable", "database": "unreachable", "role": "worker"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok", "role": "worker"})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        configure_logging()
        await _start(runtime, settings)
        try:
            yield
        finally:
            await runtime.stop()

    app = Starlette(routes=[Route("/healthz", healthz), *observability_endpoints.routes(runtime)], lifespan=lifespan)
    app.state.runtime = runtime
    return app


async def _start(runtime: Runtime, settings: Settings) -> None:
    try:
        await runtime.start()
    except Exception as error:
        why = startup.reason(error, database_url=settings.database_url)
        log.error("cannot start: %s", why)
        await runtime.stop()
        raise startup.StartupFailed(why) from None
    regions = len(runtime.sync.registry.regions) if runtime.sync is not None else 0
    log.info("worker started: %d region(s) scheduled, at most %d pull runs at once", regions,
             settings.sync_concurrency)


async def run_worker(settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    """Run the jobs until SIGINT or SIGTERM (or ``stop`` is set), then finish cleanly."""
    configure_logging()
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    runtime = Runtime(settings, schedule=True)
    await _start(runtime, settings)
    try:
        await stop.wait()
        log.info("worker stopping")
    finally:
        await runtime.stop()
