"""Walking the REST simulator's whole listing in each paging style.

    python bench/rest_paging.py [complaints=20000] [page_size=100]

One simulator app, seeded once in memory and driven in-process through
httpx.ASGITransport; for each style the time to read every record, next to
``page`` (today's page numbers) measured in the same run. The simulator's
own cost is rendering (JSON in and out, local dates), not its SQL, so the
styles cost about the same here: a connector benchmark run against it
measures the connector's paging, not the simulator's.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from hub.simulators import SimulatorConfig, create_app  # noqa: E402

STYLES = ("page", "offset", "cursor", "link", "none")


async def walk(client: httpx.AsyncClient, paging: str, size: int) -> int:
    params: dict[str, int | str] = {"page": 1, "per_page": size} if paging in ("page", "link") else (
        {"offset": 0, "limit": size} if paging == "offset" else {"limit": size})
    url: str | None = "/api/v1/laporan"
    seen = 0
    while url:
        answer = await client.get(url, params=params if url == "/api/v1/laporan" else None)
        answer.raise_for_status()
        body = answer.json()
        seen += len(body["data"])
        url = None
        if paging == "page" and body["meta"]["page"] < body["meta"]["total_pages"]:
            params["page"] = int(params["page"]) + 1
            url = "/api/v1/laporan"
        elif paging == "offset" and int(params["offset"]) + size < body["meta"]["total"]:
            params["offset"] = int(params["offset"]) + size
            url = "/api/v1/laporan"
        elif paging == "cursor" and "next" in body:
            params["cursor"] = body["next"]
            url = "/api/v1/laporan"
        elif paging == "link" and "next" in answer.links:
            url = answer.links["next"]["url"]
    return seen


async def main(complaints: int, size: int) -> None:
    started = time.perf_counter()
    app = create_app(SimulatorConfig(kind="rest", region_code="19.71", seed=7, complaints=complaints,
                                     reference_now=datetime(2026, 10, 1, tzinfo=UTC)))
    print(f"seeded {complaints} complaints in {time.perf_counter() - started:.1f} s; page size {size}")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim", headers={"X-API-Key": "sim-key"}) as client:
        baseline = None
        for paging in STYLES:
            await client.put("/_admin/habits", json={"paging": paging})
            began = time.perf_counter()
            seen = await walk(client, paging, size)
            seconds = time.perf_counter() - began
            assert seen == complaints, (paging, seen)
            baseline = baseline or seconds
            print(f"{paging:>7}: {seconds:6.2f} s for {seen} records ({seen / seconds:8.0f} records/s, {seconds / baseline:4.2f}x page)")


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(arguments + [20_000, 100][len(arguments):])))
