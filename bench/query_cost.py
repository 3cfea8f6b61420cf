"""The costliest queries the schema allows, against seeded demo data: refused, or how long they take.

    python bench/query_cost.py --complaints 10000
    python bench/query_cost.py --url postgresql+asyncpg://postgres@127.0.0.1:5432/hubcost

Seeds the store with ``--complaints`` realistic complaints (reused when it
already holds them), serves the hub under uvicorn, and sends every query of
:func:`hub.schema.costliest.costliest_queries` (per root field: the deepest
chain alone and under every alias, and the costliest one within the budget)
as the public and as a national admin, one at a time, while a second client
asks ``/healthz`` every 50 ms. Prints each query's cost, outcome and time,
and the slowest ``/healthz`` answer while it ran. Target: refused, or under
1 s, with ``/healthz`` answering throughout.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

import httpx
from graphql import parse
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import free_port, uvicorn_process  # noqa: E402
from hub.domain.vocabulary import Role  # noqa: E402
from hub.schema.build import build_schema  # noqa: E402
from hub.schema.cost import CostModel  # noqa: E402
from hub.schema.costliest import costliest_queries  # noqa: E402
from hub.settings import Settings  # noqa: E402
from hub.store.database import create_engine  # noqa: E402
from hub.store.migrate import upgrade  # noqa: E402
from hub.store.models import Complaint  # noqa: E402
from hub.store.seeding import seed_complaints  # noqa: E402
from hub.tokens import issue_token  # noqa: E402


async def seed(url: str, complaints: int) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
        async with engine.connect() as connection:
            have = (await connection.execute(select(func.count()).select_from(Complaint))).scalar_one()
        if have < complaints:
            print(f"seeding {complaints - have} complaints ...", flush=True)
            await seed_complaints(engine, count=complaints - have, seed=have + 1)
    finally:
        await engine.dispose()


async def probe_all(base: str, settings: Settings) -> bool:
    schema = build_schema(settings)._schema
    model = CostModel(schema, max_page_size=settings.max_page_size, max_months=settings.stats_max_months)
    ok = True
    async with httpx.AsyncClient(base_url=base, timeout=120) as client, \
            httpx.AsyncClient(base_url=base, timeout=120) as health_client:
        for role, budget in ((None, settings.query_budget_public), (Role.NATIONAL_ADMIN, settings.query_budget_national)):
            token = issue_token(secret=settings.secret, role=role) if role else None
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            print(f"\n{role.value if role else 'PUBLIC'} (budget {budget:,})")
            print(f"{'query':58} {'cost':>22} {'outcome':>18} {'ms':>8} {'healthz max ms':>15}")
            probes = costliest_queries(schema, max_depth=settings.max_query_depth, max_aliases=settings.max_aliases,
                                       max_page_size=settings.max_page_size, budget=budget)
            for probe in probes:
                cost = model.cost(parse(probe.query)).total
                slowest = 0.0
                done = asyncio.Event()

                async def watch() -> None:
                    nonlocal slowest
                    while not done.is_set():
                        started = time.perf_counter()
                        await health_client.get("/healthz")
                        slowest = max(slowest, time.perf_counter() - started)
                        await asyncio.sleep(0.05)

                watcher = asyncio.create_task(watch())
                started = time.perf_counter()
                response = await client.post("/graphql", json={"query": probe.query}, headers=headers)
                elapsed = time.perf_counter() - started
                done.set()
                await watcher
                body = response.json()
                codes = sorted({(e.get("extensions") or {}).get("code") or "error" for e in body.get("errors") or []})
                outcome = ",".join(codes) if codes else "ok"
                refused = "QUERY_TOO_COSTLY" in codes or any("depth" in e["message"] for e in body.get("errors") or [])
                if response.status_code >= 500 or (not refused and elapsed >= 1.0) or "QUERY_TIMEOUT" in codes:
                    ok = False
                    outcome += " !"
                print(f"{probe.name[:58]:58} {cost:>22,} {outcome[:18]:>18} {elapsed * 1000:>8.1f} "
                      f"{slowest * 1000:>15.1f}", flush=True)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="sqlite+aiosqlite:///./query_cost_bench.db")
    parser.add_argument("--complaints", type=int, default=10_000)
    args = parser.parse_args()
    asyncio.run(seed(args.url, args.complaints))
    env = {"HUB_DATABASE_URL": args.url, "HUB_ENV": "dev"}
    settings = Settings(database_url=args.url)
    with uvicorn_process("server:app", env={**os.environ, **env}, port=free_port()) as base:
        ok = asyncio.run(probe_all(base, settings))
    print("\nevery query refused or under 1 s" if ok else "\nSOME QUERY TOOK 1 s OR MORE, OR FAILED (marked !)")


if __name__ == "__main__":
    main()
