"""Read benchmark: the 50-complaint list page over GraphQL against its floors.

Seeds N complaints (default 100,000) into a store, then serves the page from
three servers, each its own uvicorn process on 127.0.0.1, all started before
measuring and loaded one at a time:

- the hub's ``/graphql`` as an API process (``HUB_ROLE=api``, as deployed;
  the schedule runs in ``hub worker``): 50 complaints with region, agency,
  category, sources and the last 3 timeline events, as a national admin;
- ``bench/floor_app.py /page``: the same data through SQLAlchemy Core in six
  statements, Python building the JSON (the Python-built floor);
- ``bench/floor_app.py /page-json`` (PostgreSQL only): one statement in which
  PostgreSQL builds the whole JSON document (the PostgreSQL-JSON floor).

Each server gets a warm-up, then every round loads each server in turn,
the order alternating between rounds so that neither profits from going
first; the load generator runs in processes of its own (wrk when installed).
Prints every round, the median of the rounds, and the hub's ratio to each
floor; the machine's load average is printed alongside, since on a shared
machine only ratios measured in the same run compare.

    python bench/graphql_read.py [--complaints 100000] [--connections 16] [--warmup 10] [--rounds 3] [--seconds 15]
                                 [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/bench]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import _load  # noqa: E402
import httpx  # noqa: E402
from _harness import cpu_seconds, free_port, uvicorn_server  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from hub.domain.vocabulary import Role  # noqa: E402
from hub.settings import DEV_JWT_SECRET  # noqa: E402
from hub.store.database import create_engine, is_sqlite  # noqa: E402
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
    async with engine.begin() as connection:  # planner statistics for the seeded tables
        await connection.execute(text("ANALYZE"))
    await engine.dispose()


def check(name: str, url: str, body: bytes | None, headers: dict[str, str]) -> None:
    """One request answered in full before any load: 50 complaints, no errors."""
    response = httpx.post(url, content=body, headers=headers, timeout=60) if body else httpx.get(url, timeout=60)
    document = response.json()
    edges = document.get("data", {}).get("complaints", {}).get("edges", [])
    assert response.status_code == 200 and not document.get("errors") and len(edges) == 50, (name, document)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def measure(url: str, *, connections: int, warmup: float, rounds: int, seconds: float) -> None:
    env = {"HUB_DATABASE_URL": url, "HUB_ENV": "dev", "HUB_ROLE": "api"}  # the API process, as deployed
    token = issue_token(secret=DEV_JWT_SECRET, role=Role.NATIONAL_ADMIN)
    graphql_body = json.dumps({"query": PAGE_QUERY, "variables": {"first": 50}}).encode()
    graphql_headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with ExitStack() as stack:
        floor_base, floor = stack.enter_context(
            uvicorn_server("floor_app:app", env={**env, "PYTHONPATH": str(ROOT / "bench")}, port=free_port()))
        hub_base, hub_process = stack.enter_context(
            uvicorn_server("server:app", env={**env, "PYTHONPATH": str(ROOT)}, port=free_port()))
        targets = [("hub /graphql", f"{hub_base}/graphql", graphql_body, graphql_headers),
                   ("floor: Python builds JSON", f"{floor_base}/page?first=50", None, {})]
        if not is_sqlite(url):
            targets.append(("floor: PostgreSQL builds JSON", f"{floor_base}/page-json?first=50", None, {}))
        pids = {"hub /graphql": hub_process.pid}
        for name, target, body, headers in targets:
            check(name, target, body, headers)
        print(f"load generator: {_load.generator()}, {connections} connections; "
              f"warm-up {warmup:.0f} s, {rounds} rounds of {seconds:.0f} s; load average {load_average()}")
        for name, target, body, headers in targets:
            _load.run(name, target, body=body, headers=headers, connections=connections, seconds=warmup)
        results: dict[str, list[_load.Figures]] = {name: [] for name, *_ in targets}
        for number in range(rounds):
            order = targets if number % 2 == 0 else targets[::-1]
            for name, target, body, headers in order:
                pid = pids.get(name, floor.pid)
                before = cpu_seconds(pid)
                figures = _load.run(name, target, body=body, headers=headers, connections=connections, seconds=seconds)
                figures.cpu_ms = (cpu_seconds(pid) - before) * 1000 / max(1, figures.requests)
                results[name].append(figures)
                print(f"round {number + 1}  {figures.line()}")
        print(f"load average after: {load_average()}")

    backend = "SQLite" if is_sqlite(url) else "PostgreSQL"
    print(f"\n50-complaint page, {backend}, median of {rounds} rounds:")
    medians = {}
    for name, figures in results.items():
        median = _load.Figures(name, statistics.median(f.rps for f in figures), statistics.median(f.p50_ms for f in figures),
                               statistics.median(f.p99_ms for f in figures), sum(f.requests for f in figures),
                               sum(f.errors for f in figures), statistics.median(f.cpu_ms for f in figures))
        medians[name] = median
        print(median.line())
    hub = medians["hub /graphql"]
    for name, floor in medians.items():
        if name != "hub /graphql":
            per_round = [h.rps / f.rps for h, f in zip(results["hub /graphql"], results[name], strict=True)]
            print(f"hub / {name}: throughput {hub.rps / floor.rps:.2f}x (rounds {', '.join(f'{r:.2f}' for r in per_round)}), "
                  f"p50 latency {hub.p50_ms / floor.p50_ms:.2f}x, server CPU per request {hub.cpu_ms / floor.cpu_ms:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--database-url", default=None, help="default: a SQLite file under the temp directory")
    args = parser.parse_args()
    url = args.database_url or f"sqlite+aiosqlite:///{Path(tempfile.gettempdir()) / f'lapor_bench_{args.complaints}.db'}"
    asyncio.run(prepare(url, args.complaints))
    measure(url, connections=args.connections, warmup=args.warmup, rounds=args.rounds, seconds=args.seconds)


if __name__ == "__main__":
    main()
