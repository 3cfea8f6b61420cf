"""What the minute's deadline job costs on an idle hub: a full pass against a windowed one.

    python bench/deadlines_idle.py --url sqlite+aiosqlite:///./deadlines.db --complaints 100000
    python bench/deadlines_idle.py --url postgresql+asyncpg://postgres@127.0.0.1:5432/hubbench --complaints 100000

Migrates, tops the store up to ``--complaints`` realistic complaints, runs the
job until everything due is handled (the hub after its first minute), then
measures ``--runs`` idle runs each way: the full pass (the job as it was, still
the hourly sweep) and the windowed run of :class:`hub.sync.deadline_watch.DeadlineWatch`
(what runs every minute): statements, wall time and CPU seconds of this process.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, func, select

from hub.domain.sla import ServiceLevels
from hub.store.database import create_engine
from hub.store.migrate import upgrade
from hub.store.models import Complaint
from hub.store.seeding import seed_complaints
from hub.sync.deadline_watch import DeadlineWatch
from hub.sync.deadlines_job import run_deadlines


async def main(url: str, complaints: int, runs: int) -> None:
    engine = create_engine(url)
    levels = ServiceLevels()
    await upgrade(engine)
    async with engine.connect() as connection:
        have = (await connection.execute(select(func.count()).select_from(Complaint))).scalar_one()
    if have < complaints:
        print(f"seeding {complaints - have:,} complaints ...", flush=True)
        await seed_complaints(engine, count=complaints - have, seed=42, levels=levels)
    now = datetime.now(UTC)
    while True:  # catch up: what is due now is handled, as on a hub that has been running
        report = await run_deadlines(engine, levels=levels, now=now)
        if not report.full:
            break
    statements = 0

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def count(*_args: Any) -> None:
        nonlocal statements
        statements += 1

    async def measure(label: str, job: Any) -> None:
        nonlocal statements
        walls, cpus, counts = [], [], []
        for n in range(runs):
            statements = 0
            wall, cpu = time.perf_counter(), time.process_time()
            await job(now + timedelta(minutes=n + 1))
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            counts.append(statements)
        print(f"{label:<28} {statistics.median(counts):>5.0f} statements  {statistics.median(walls) * 1000:>9.1f} ms wall"
              f"  {statistics.median(cpus) * 1000:>9.1f} ms CPU (hub process; median of {runs})")

    async def full(at: datetime) -> None:
        await run_deadlines(engine, levels=levels, now=at)

    watch = DeadlineWatch(engine, levels=levels)
    await watch.run(now)  # its first run is a full sweep

    async def windowed(at: datetime) -> None:
        await watch.run(at)

    print(f"{url.split('://')[0]}, {max(have, complaints):,} complaints, idle (nothing due)")
    await measure("full pass (hourly sweep)", full)
    await measure("windowed (every minute)", windowed)
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.url, args.complaints, args.runs))
