"""Admin endpoints every simulator shares; never faulted.

- ``GET /_admin/faults`` / ``PUT /_admin/faults``: the faults in force (PUT merges the given fields);
- ``GET /_admin/ground-truth``: every record the app holds, in its own format, never malformed;
- ``POST /_admin/tick``: one step of live activity now.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from hub.simulators.faults import Faults
from hub.simulators.state import SimulatorState
from hub.simulators.store import SimComplaint


def admin_routes(state: SimulatorState, render: Callable[[SimComplaint], dict[str, Any]]) -> list[Route]:
    async def faults(request: Request) -> JSONResponse:
        if request.method == "PUT":
            try:
                changes = await request.json()
                if not isinstance(changes, dict):
                    raise ValueError("send a JSON object of fault fields")
                state.faults = Faults(state.faults.config.merged(changes), state.config.seed)
            except (ValueError, TypeError) as exc:
                return JSONResponse({"error": str(exc)}, status_code=422)
        return JSONResponse(state.faults.config.to_dict())

    async def ground_truth(request: Request) -> JSONResponse:
        records = [render(c) for c in state.store.all()]
        return JSONResponse({"kind": state.config.kind, "region": state.config.region_code, "records": records})

    async def tick(request: Request) -> JSONResponse:
        return JSONResponse(state.tick())

    return [
        Route("/_admin/faults", faults, methods=["GET", "PUT"]),
        Route("/_admin/ground-truth", ground_truth),
        Route("/_admin/tick", tick, methods=["POST"]),
    ]
