"""Read benchmark: the 50-complaint page query over GraphQL against its floor.

Seeds N complaints (default 100,000) into a store, then loads two servers,
each in its own uvicorn process on 127.0.0.1:
- the hub's ``/graphql`` with a page of 50 complaints with region, agency,
  category, sources and the last 3 timeline events, as a national admin;
- ``bench/floor_app.py``: the same SQL, results as JSON, no GraphQL layer.
Prints requests per second and p50/p99 latency of both and their ratio.

    python bench/graphql_read.py [--complaints 100000] [--requests 400] [--concurrency 8]
                                 [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/bench]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import httpx  # noqa: E402
from _harness import free_port, load, uvicorn_process  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from hub.domain.vocabulary import Role  # noqa: E402
from hub.settings import DEV_JWT_SECRET  # noqa: E402
from hub.store.database import create_engine  # noqa: E402
from hub.store.migrate import upgrade  # noqa: E402
from hub.store.models import Complaint  # noqa: E402
from hub.store.seeding import seed_complaints  # noqa: E402
from hub.tokens import issue_token  # noqa: E402

PAGE_QUERY = """query Page($first: Int!) { complaints(first: $first) { edges { node {
  trackingId title status region { name } agency { name } category { name }
  sources { sourceSystem sourceId } timeline(last: 3) { kind actor occurredAt } } } } }"""


async def prepare(url: str, complaints: int) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    async with engine.connect() as connection:
        have = (await connection.execute(select(func.count()).select_from(Complaint))).scalar_one()
    if have < complaints:
        started = time.perf_counter()
        await seed_complaints(engine, count=complaints - have, seed=7)
        print(f"seeded {complaints - have} complaints in {time.perf_counter() - started:.1f} s")
    await engine.dispose()


async def measure(url: str, requests: int, concurrency: int) -> None:
    env = {"HUB_DATABASE_URL": url, "HUB_ENV": "dev"}
    token = issue_token(secret=DEV_JWT_SECRET, role=Role.NATIONAL_ADMIN)
    headers = {"Authorization": f"Bearer {token}"}

    async def graphql_call(client: httpx.AsyncClient) -> None:
        response = await client.post("/graphql", json={"query": PAGE_QUERY, "variables": {"first": 50}}, headers=headers)
        body = response.json()
        assert response.status_code == 200 and not body.get("errors") and len(body["data"]["complaints"]["edges"]) == 50, body

    async def floor_call(client: httpx.AsyncClient) -> None:
        response = await client.get("/page", params={"first": 50})
        assert response.status_code == 200 and len(response.json()["complaints"]) == 50

    with uvicorn_process("floor_app:app", env={**env, "PYTHONPATH": str(ROOT / "bench")}, port=free_port()) as base:
        floor = await load("floor (Starlette + SQL)", floor_call, base=base, requests=requests, concurrency=concurrency)
    with uvicorn_process("server:app", env={**env, "PYTHONPATH": str(ROOT)}, port=free_port()) as base:
        graphql = await load("hub /graphql", graphql_call, base=base, requests=requests, concurrency=concurrency)
    backend = url.split(":", 1)[0]
    print(f"\n50-complaint page, {backend}, {requests} requests, concurrency {concurrency}")
    print(graphql.line())
    print(floor.line())
    print(f"ratio hub/floor: throughput {graphql.rps / floor.rps:.2f}x, p50 latency {graphql.percentile(50) / floor.percentile(50):.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", default=None, help="default: a SQLite file under the temp directory")
    args = parser.parse_args()
    url = args.database_url or f"sqlite+aiosqlite:///{Path(tempfile.gettempdir()) / f'lapor_bench_{args.complaints}.db'}"
    asyncio.run(prepare(url, args.complaints))
    asyncio.run(measure(url, args.requests, args.concurrency))


if __name__ == "__main__":
    main()
