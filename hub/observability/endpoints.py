"""``/metrics`` (Prometheus text format) and ``/readyz`` (ready to take traffic).

Ready means the database answers and, when regions are connected and this
process schedules (role ``all`` or ``worker``), its scheduler is running; otherwise ``/readyz`` answers 503 with the
failing part named, so a load balancer takes the process out of rotation.
``/healthz`` (liveness) stays in :mod:`hub.app`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from hub.observability.metrics import CONTENT_TYPE

log = logging.getLogger("hub.observability")


def routes(runtime: Any) -> list[BaseRoute]:
    """``runtime`` is the app's :class:`hub.app.Runtime` (engine, jobs, sync, metrics)."""

    async def metrics(request: Request) -> Response:
        if runtime.engine is not None:
            try:
                await runtime.metrics.refresh_gauges(runtime.engine, now=datetime.now(UTC))
            except Exception as exc:  # the counters are still worth serving
                log.warning("could not read gauges from the store: %s", exc)
        return Response(runtime.metrics.exposition(), media_type=CONTENT_TYPE)

    async def readyz(request: Request) -> JSONResponse:
        checks: dict[str, str] = {}
        try:
            assert runtime.engine is not None
            async with runtime.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:
            log.warning("readiness: database unreachable: %s", exc)
            checks["database"] = "unreachable"
        if not runtime.schedule:
            checks["scheduler"] = "not in this process (role api)"
        elif runtime.sync is not None:
            running = runtime.jobs is not None and runtime.jobs.running
            checks["scheduler"] = "running" if running else "stopped"
        else:
            checks["scheduler"] = "no regions configured"
        ready = checks["database"] == "ok" and checks["scheduler"] != "stopped"
        return JSONResponse({"status": "ready" if ready else "unavailable", **checks}, status_code=200 if ready else 503)

    return [Route("/metrics", metrics), Route("/readyz", readyz)]
