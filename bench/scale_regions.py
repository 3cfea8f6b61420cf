"""Many regions, one schedule: do 1 and then 2 worker processes keep up?

    python bench/scale_regions.py --url postgresql+asyncpg://postgres@127.0.0.1:5432/hubscale --regions 50
    python bench/scale_regions.py --url ... --regions 514 --latency 50 --interval 60 --intervals 3

Starts ``hub simulate many`` (``--regions`` regions, ``--latency`` ms a
request, low activity) and, for each worker count in ``--workers``, an empty
national record (the schema dropped and migrated) and that many ``hub worker``
processes for ``--intervals`` intervals after a warm-up: one interval, and
longer until every region has been read once (the first run of a region reads
everything it holds, a backfill; the warm-up's length is printed).
Prints per interval the share of regions with a successful run that started
in it; lag (seconds since a region's last successful run ended, sampled
every 2 s) p50/p95/max; run starts per region per interval, slots run more
than once and overlapping runs (from the run table); CPU seconds of each worker; the most database
connections in use; and, after the workers stop and one last ``hub sync``,
whether every record each region held before that sync is in the national
record (activity continues meanwhile, so later records may be missing).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import httpx
from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import free_port  # noqa: E402
from hub.connectors.registry import load_registry  # noqa: E402
from hub.store.database import create_engine  # noqa: E402
from hub.store.models import ComplaintSource  # noqa: E402
from hub.store.sync_models import RejectedRecord, RunStatus, SyncRun  # noqa: E402

HUB = [sys.executable, "-m", "hub.cli"]
TICKS = os.sysconf("SC_CLK_TCK")
MAX_WARM_UP_INTERVALS = 10


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def reset(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()
    subprocess.run([*HUB, "migrate"], env={**os.environ, "HUB_DATABASE_URL": url}, check=True, capture_output=True)


async def run_once(url: str, env: dict[str, str], codes: list[str], workers: int, interval: float, intervals: int,
                   sim_base: str) -> None:
    await reset(url)
    engine = create_engine(url, pool_size=2, max_overflow=2)
    logs = tempfile.TemporaryFile()
    processes = [subprocess.Popen([*HUB, "worker"], env=env, stdout=logs, stderr=subprocess.STDOUT)
                 for _ in range(workers)]
    start = datetime.now(UTC)
    warm_until = start + timedelta(seconds=interval)
    end = warm_until + timedelta(seconds=interval * intervals)
    lags: list[float] = []
    connections = 0
    cpu_at_warm: dict[int, float] = {}
    warm = False
    try:
        while not warm or datetime.now(UTC) < end:
            await asyncio.sleep(2)
            now = datetime.now(UTC)
            async with engine.connect() as connection:
                in_use = (await connection.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"))).scalar_one()
                rows = (await connection.execute(select(SyncRun.region_code, SyncRun.finished_at)
                                                 .where(SyncRun.status == RunStatus.SUCCEEDED))).all()
            connections = max(connections, in_use - 1)  # not this one
            if not warm and now >= warm_until:
                read_once = len({code for code, _ in rows})
                if read_once < len(codes) and now < start + timedelta(seconds=interval * MAX_WARM_UP_INTERVALS):
                    continue  # the first reads (backfills) are not over: the intervals start after them
                warm = True
                # the measured intervals start at the next whole interval after the warm-up, on the same grid
                whole = -(-(now - start) // timedelta(seconds=interval))
                warm_until = start + timedelta(seconds=interval) * whole
                end = warm_until + timedelta(seconds=interval * intervals)
                print(f"  warm-up: {(warm_until - start).total_seconds():.0f} s ({read_once} of {len(codes)} regions "
                      f"read once after {(now - start).total_seconds():.0f} s)", flush=True)
            if warm and now >= warm_until:
                if not cpu_at_warm:
                    cpu_at_warm = {p.pid: cpu_seconds(p.pid) for p in processes}
                last: dict[str, datetime] = {}
                for code, finished in rows:
                    last[code] = max(last.get(code, finished), finished)
                lags += [(now - last[code]).total_seconds() if code in last else (now - start).total_seconds()
                         for code in codes]
        cpu = {p.pid: cpu_seconds(p.pid) - cpu_at_warm.get(p.pid, 0.0) for p in processes}
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
    async with engine.connect() as connection:
        runs = (await connection.execute(select(SyncRun))).all()
    print(f"\n{workers} worker process(es), {len(codes)} regions, one interval of {interval:g} s "
          f"(load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")
    for k in range(intervals):
        lo = warm_until + timedelta(seconds=interval * k)
        hi = lo + timedelta(seconds=interval)
        inside = [r for r in runs if lo <= r.started_at < hi]
        synced = {r.region_code for r in inside if r.status is RunStatus.SUCCEEDED}
        per_region = Counter(r.region_code for r in inside if r.status is not None and r.pages)
        by_instance = Counter(r.instance for r in inside)
        print(f"  interval {k + 1}: {len(synced) / len(codes):6.1%} of regions synced; run starts per region "
              f"max {max(per_region.values(), default=0)}; runs by process {sorted(by_instance.values())}")
    per_slot = Counter((r.region_code, r.slot) for r in runs if r.slot is not None)
    print(f"  scheduled runs {sum(per_slot.values())} over {len(per_slot)} (region, slot) pairs; "
          f"slots run more than once: {sum(1 for n in per_slot.values() if n > 1)} (from the run table)")
    overlaps = 0
    by_region: dict[str, list] = defaultdict(list)
    for r in runs:
        if r.finished_at is not None:
            by_region[r.region_code].append(r)
    for mine in by_region.values():
        mine.sort(key=lambda r: r.started_at)
        overlaps += sum(1 for a, b in pairwise(mine) if b.started_at < a.finished_at)
    print(f"  lag p50 {statistics.median(lags):.1f} s, p95 {pct(lags, 0.95):.1f} s, max {max(lags):.1f} s; "
          f"overlapping runs of one region: {overlaps}")
    print(f"  CPU seconds per worker over {intervals} interval(s): "
          + ", ".join(f"{seconds:.1f}" for seconds in cpu.values())
          + f"; most database connections in use: {connections}")

    # the record against the ground truth: one last sync, then every record held before it must be there
    truth = {}
    async with httpx.AsyncClient(timeout=60) as http:
        for code in codes:
            truth[code] = (await http.get(f"{sim_base}/r/{code}/_admin/ground-truth")).json()["records"]
    for _attempt in range(3):  # `hub sync` pulls every region at once: a loaded simulator may time some out
        synced = subprocess.run([*HUB, "sync"], env=env, capture_output=True, text=True, timeout=900)
        if synced.returncode == 0:
            break
    async with engine.connect() as connection:
        held = Counter(source.split(":", 1)[1] for source, in (await connection.execute(
            select(ComplaintSource.source_system).where(ComplaintSource.source_system != "lapor-hub"))).all())
        held.update(source.split(":", 1)[1] for source, in (await connection.execute(
            select(RejectedRecord.source_system).where(RejectedRecord.resolved_at.is_(None)))).all())
    missing = {code: len(truth[code]) - held.get(code, 0) for code in codes if held.get(code, 0) < len(truth[code])}
    print(f"  national record (with the records kept as rejected) vs ground truth: "
          f"{'every record present' if not missing else f'missing {missing}'}; last hub sync exit {synced.returncode}")
    if synced.returncode != 0:
        print("\n".join(synced.stdout.splitlines()[-12:]))
    await engine.dispose()


async def main(args: argparse.Namespace) -> None:
    port = free_port()
    work = Path(tempfile.mkdtemp())
    regions_file = work / "regions.yaml"
    simulator = subprocess.Popen([*HUB, "simulate", "many", "--regions", str(args.regions), "--port", str(port),
                                  "--latency", str(args.latency), "--activity", str(args.activity),
                                  "--complaints", str(args.complaints), "--region-file", str(regions_file),
                                  "--interval", str(args.interval)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                if httpx.get(f"{base}/_admin/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline or simulator.poll() is not None:
                    raise SystemExit("the simulator did not start") from None
                time.sleep(0.5)
        env = {**os.environ, "HUB_DATABASE_URL": args.url, "HUB_REGIONS_FILE": str(regions_file),
               "HUB_SIM_API_KEY": "sim-key", "HUB_ENV": "dev", "HUB_SYNC_CONCURRENCY": str(args.concurrency)}
        codes = [r.code for r in load_registry(regions_file, environ=env).regions]
        print(f"{len(codes)} simulated regions at {base}, {args.latency} ms a request, "
              f"{args.activity:g} activity steps/s; HUB_SYNC_CONCURRENCY={args.concurrency}")
        for workers in args.workers:
            await run_once(args.url, env, codes, workers, args.interval, args.intervals, base)
    finally:
        simulator.terminate()
        simulator.wait(timeout=30)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True, help="a PostgreSQL database the bench may drop and recreate")
    parser.add_argument("--regions", type=int, default=50)
    parser.add_argument("--latency", type=int, default=50)
    parser.add_argument("--interval", type=float, default=60)
    parser.add_argument("--intervals", type=int, default=2)
    parser.add_argument("--complaints", type=int, default=50)
    parser.add_argument("--activity", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    asyncio.run(main(parser.parse_args()))
