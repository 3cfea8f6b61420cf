"""Many simulated regions in one process: ``hub simulate many --regions 550``.

Each region is a full simulator (:func:`hub.simulators.create_app`) mounted
under ``/r/<code>`` (its API, its faults, its ``/_admin/ground-truth``),
with a mix of families (half REST, three tenths Open311, a fifth CSV
exports, by position), every request delayed by ``latency_ms`` (default
50 ms, a regional server over the internet), low steady activity across all
regions (``activity`` steps a second in total, each on a region drawn at
random) and, on a share of the regions, extra faults. ``GET /_admin/regions``
lists them; :func:`region_entries` writes the hub's region file for them.

Regions are real regencies and cities (514 of them), in code order.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Route

from hub.domain.reference import regions_by_code
from hub.simulators.apps import create_app
from hub.simulators.config import Kind, SimulatorConfig
from hub.simulators.faults import FaultConfig
from hub.simulators.region_file import csv_entry, open311_entry, rest_entry
from hub.simulators.state import SimulatorState

MIX: tuple[Kind, ...] = ("rest", "open311", "rest", "csv", "rest", "open311", "rest", "open311", "rest", "csv")


@dataclass
class ManyConfig:
    regions: int = 10
    seed: int = 1
    complaints: int = 50  # seeded per region
    latency_ms: int = 50  # every request, every region
    activity: float = 1.0  # activity steps per second across all regions (0: quiet)
    faults: FaultConfig = field(default_factory=FaultConfig)  # on top of the latency, on the faulty share
    faulty_share: float = 0.0  # share of regions with ``faults`` (every n-th region)
    api_key: str = "sim-key"

    def __post_init__(self) -> None:
        available = len(region_codes())
        if not 1 <= self.regions <= available:
            raise ValueError(f"--regions must be between 1 and {available} (the regencies and cities there are)")
        if not 0 <= self.faulty_share <= 1:
            raise ValueError("the faulty share must be between 0 and 1")


def region_codes() -> list[str]:
    """Every regency and city, in code order."""
    return sorted(code for code, row in regions_by_code().items() if row.parent_code is not None)


def plan(config: ManyConfig) -> list[SimulatorConfig]:
    """One simulator configuration per region, the same for the same ``config``."""
    faulty_every = round(1 / config.faulty_share) if config.faulty_share else 0
    planned = []
    for index, code in enumerate(region_codes()[:config.regions]):
        faulty = bool(faulty_every) and index % faulty_every == faulty_every - 1
        faults = replace(config.faults if faulty else FaultConfig(), latency_ms=config.latency_ms)
        planned.append(SimulatorConfig(kind=MIX[index % len(MIX)], region_code=code, seed=config.seed + index,
                                       complaints=config.complaints, faults=faults, api_key=config.api_key))
    return planned


def prefix(code: str) -> str:
    return f"/r/{code}"


def create_many_app(config: ManyConfig) -> Starlette:
    simulators = [(sim, create_app(sim)) for sim in plan(config)]
    states: list[SimulatorState] = [app.state.simulator for _, app in simulators]

    async def listing(request: Request) -> JSONResponse:
        return JSONResponse({"regions": [
            {"code": sim.region_code, "kind": sim.kind, "path": prefix(sim.region_code),
             "faults": app.state.simulator.faults.config.to_dict()} for sim, app in simulators]})

    async def activity() -> None:
        rng = random.Random(config.seed)
        while True:
            await asyncio.sleep(1.0 / config.activity)
            rng.choice(states).tick()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        task = asyncio.create_task(activity()) if config.activity > 0 else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    routes: list[BaseRoute] = [Route("/_admin/regions", listing), Route("/_admin/healthz", _healthz)]
    routes += [Mount(prefix(sim.region_code), app=app) for sim, app in simulators]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.simulators = dict((sim.region_code, app) for sim, app in simulators)
    return app


async def _healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok", "kind": "many"})


def region_entries(config: ManyConfig, base_url: str, *, api_key_env: str, interval_seconds: float = 60,
                   **extra: Any) -> list[dict[str, Any]]:
    """The hub's region-file entries for the simulated regions at ``base_url``."""
    entries = []
    for sim in plan(config):
        url = base_url.rstrip("/") + prefix(sim.region_code)
        if sim.kind == "rest":
            entries.append(rest_entry(sim.region_code, url, api_key_env=api_key_env, interval_seconds=interval_seconds, **extra))
        elif sim.kind == "open311":
            entries.append(open311_entry(sim.region_code, url, api_key_env=api_key_env, interval_seconds=interval_seconds,
                                         **extra))
        else:
            entries.append(csv_entry(sim.region_code, url, interval_seconds=interval_seconds, **extra))
    return entries
