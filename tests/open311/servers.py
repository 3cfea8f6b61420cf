"""Open311 simulators of each flavour, the region that reads one, and what
the national record should hold after reading it (its ground truth, mapped)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from hub.connectors.registry import RegionConfig, parse_registry
from hub.domain.sla import ServiceLevels
from hub.simulators import FaultConfig, create_app
from hub.simulators.open311 import LOCAL_STATUS
from hub.simulators.region_file import NATIONAL_STATUS, open311_entry
from hub.simulators.testing import running_app
from hub.store.sync_models import SyncRun
from hub.sync.runs import PullRun, RunReport
from tests.e2e.regional import API_KEY_ENV, REFERENCE_NOW, Region, national
from tests.simulators.georeport import open311

CODE = "61.71"


@contextlib.contextmanager
def open311_region(monkeypatch: Any, *, flavour: str = "default", complaints: int = 30, seed: int = 7,
                   reference_now: datetime | None = REFERENCE_NOW, faults: FaultConfig | None = None,
                   options: dict[str, Any] | None = None, region: dict[str, Any] | None = None,
                   **habits: Any) -> Iterator[tuple[Region, RegionConfig]]:
    """A running simulator of ``flavour`` and the region file entry that reads it."""
    monkeypatch.setenv(API_KEY_ENV, "sim-key")
    config = open311(complaints=complaints, seed=seed, reference_now=reference_now, faults=faults,
                     flavour=flavour, **habits)
    with running_app(create_app(config)) as base:
        entry = open311_entry(CODE, base, api_key_env=API_KEY_ENV, flavour=flavour,
                              **{"page_size": 15, "timeout_seconds": 5, "max_attempts": 3, **(region or {})})
        entry["options"].update(options or {})
        yield (Region(kind="open311", code=CODE, base_url=base, source_system=f"open311:{CODE}"),
               parse_registry({"regions": [entry]}).regions[0])


def expected(region: Region, *, with_updates: bool) -> dict[str, tuple[str, str, list[str]]]:
    """source id -> (national status, title, follow-up texts) from the simulator's ground truth."""
    result: dict[str, tuple[str, str, list[str]]] = {}
    for record in region.ground_truth():
        stage = {w: s for s, w in LOCAL_STATUS.items()}[record["local_status"]]
        description = record["description"]
        title = description.split("\n", 1)[0] if description else record["service_name"]
        texts = [u["description"] for u in record["updates"] if u["description"]] if with_updates else []
        result[record["service_request_id"]] = (NATIONAL_STATUS[stage], title, texts)
    return result


async def assert_matches(engine: AsyncEngine, region: Region, *, with_updates: bool) -> None:
    want = expected(region, with_updates=with_updates)
    have = await national(engine, region.source_system)
    assert set(have) == set(want), f"missing {sorted(set(want) - set(have))}, extra {sorted(set(have) - set(want))}"
    for source_id, (status, title, texts) in want.items():
        got_status, got_title, got_texts = have[source_id]
        assert (got_status, got_title) == (status, title), f"{source_id}: {have[source_id]} != {want[source_id]}"
        assert sorted(got_texts) == sorted(texts), f"{source_id}: follow-ups {got_texts} != {texts}"


class CountingClient(httpx.AsyncClient):
    """An HTTP client that counts the requests it sends to each path."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(timeout=30, event_hooks={"request": [self._count]}, **kwargs)
        self.paths: list[str] = []

    async def _count(self, request: httpx.Request) -> None:
        self.paths.append(request.url.path)


async def pull(engine: AsyncEngine, region: RegionConfig, *, full: bool = False,
               client: httpx.AsyncClient | None = None) -> RunReport:
    return await PullRun(engine, region, levels=ServiceLevels(), full=full, client=client).execute()


async def run_row(engine: AsyncEngine, run_id: int | None) -> SyncRun:
    async with AsyncSession(engine) as session:
        row = await session.get(SyncRun, run_id)
        assert row is not None
        return row
