"""Backfill benchmark: a full pull of a 100,000-complaint REST region into an empty hub, against its floor.

A REST simulator for region 19.71 (``bench/sync_simulator.py``) holding N
complaints (default 100,000; seeded once into a SQLite file in the temp
directory and reused) is served by uvicorn in its own process on 127.0.0.1.
For each backend (SQLite file, PostgreSQL) the script measures, in one run:

- the floor: every page downloaded with httpx as the REST connector asks for
  it (same ``per_page``, same ``X-API-Key``, same ``updated_since`` cursor walk
  through ``hub.connectors.paging.next_cursor``: after each page ``since``
  moves to the newest update time on it and paging restarts at page 1; the
  newest time is taken from the page's last record, pages being ordered by
  update time) and decoded as JSON, nothing else;
- the pull ceiling: the REST connector's own ``pull`` over every page
  (download, decode, map each record onto national terms), one page after
  the other, writing nothing: what the hub's single process reaches before a
  database sees a record, and the CPU it spends a record doing so;
- the backfill: ``PullRun(..., full=True)`` into a freshly migrated, empty
  store (a new SQLite file; for PostgreSQL the ``public`` schema is dropped
  and recreated), run in a fresh child process so that its memory figures
  are its own: wall time, records per second, the tracemalloc peak during
  the sync and how far the process's peak RSS rose above its RSS at the
  start of the sync (Linux: ``VmHWM``, reset just before the sync, since
  ``ru_maxrss`` survives the exec of the child; elsewhere ``ru_maxrss``), and
  that peak itself (``RSS peak MB``: the whole child process, interpreter and
  imports included; the figure the 300 MB budget of a 1,000,000-record
  PostgreSQL backfill is about), and the CPU the child spent a record
  (``time.process_time``: SQLite's own work, done in aiosqlite's thread,
  included; PostgreSQL's server work is not).

Records per second are distinct complaints over wall time for both, so the
ratio sync/floor says how much of the download rate the sync keeps.
tracemalloc slows allocation-heavy code; ``--no-tracemalloc`` times the sync
without it (RSS growth is still reported). ``--profile`` runs the backfill
under cProfile instead and prints the top functions.

    python bench/sync_backfill.py [--complaints 100000] [--page-size 500] [--backends sqlite,postgresql]
                                  [--postgres-url postgresql+asyncpg://postgres@127.0.0.1:5432/hubbench]
                                  [--no-tracemalloc] [--profile]

The issue's two figures: sync/floor on both backends at 100,000 records
(``--no-tracemalloc``), and ``RSS peak MB`` of
``--complaints 1000000 --backends postgresql --no-tracemalloc`` (budget
300 MB; seeding the 1,000,000-complaint simulator file takes a while the
first time, and the file is reused afterwards). The simulator's files and
the SQLite hub go to the temp directory: set ``TMPDIR`` to keep runs of
several people apart.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import httpx  # noqa: E402
from _harness import free_port, uvicorn_process  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sync_simulator import REGION, seed_file  # noqa: E402

from hub.connectors.paging import next_cursor  # noqa: E402
from hub.connectors.registry import RegionConfig  # noqa: E402
from hub.domain.regions import timezone_for  # noqa: E402
from hub.simulators.rest import DATE_FORMAT  # noqa: E402

API_KEY_ENV = "HUB_BENCH_SIM_API_KEY"
API_KEY = "sim-key"
LIST_PATH = "/api/v1/laporan"
DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/hubbench"
MAX_PAGES = 100_000
CHILD_TIMEOUT_SECONDS = 3600


@dataclass
class Floor:
    records: int  # distinct
    downloaded: int  # items on all pages, re-reads at page edges included
    pages: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.records / self.seconds


async def download_floor(base: str, page_size: int) -> Floor:
    """Every page, as the connector requests it, decoded and nothing more."""
    zone = timezone_for(REGION)
    cursor: dict[str, Any] = {}
    seen: set[int] = set()
    downloaded = pages = 0
    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=60) as client:
        for _ in range(MAX_PAGES):
            page = int(cursor.get("page", 1))
            params: dict[str, Any] = {"page": page, "per_page": page_size}
            if cursor.get("since"):
                params["updated_since"] = datetime.fromisoformat(cursor["since"]).astimezone(zone).strftime(DATE_FORMAT)
            response = await client.get(f"{base}{LIST_PATH}", params=params, headers={"X-API-Key": API_KEY})
            response.raise_for_status()
            body = response.json()
            items = body["data"]
            pages += 1
            downloaded += len(items)
            seen.update(item["id"] for item in items)
            full_page = len(items) >= page_size and page < body["meta"]["total_pages"]
            newest = []
            if items:
                stamp = datetime.strptime(items[-1]["tanggal_diperbarui"], DATE_FORMAT).replace(tzinfo=zone)
                newest.append(SimpleNamespace(updated_at=stamp.astimezone(UTC)))
            cursor, more = next_cursor(cursor, newest, full_page=full_page)  # type: ignore[arg-type]
            if not more:
                break
    return Floor(records=len(seen), downloaded=downloaded, pages=pages, seconds=time.perf_counter() - started)


@dataclass
class Ceiling:
    records: int  # distinct
    seconds: float
    cpu_seconds: float

    @property
    def rate(self) -> float:
        return self.records / self.seconds


def bench_region(base: str, page_size: int) -> RegionConfig:
    from hub.connectors.registry import parse_registry
    from hub.simulators.region_file import rest_entry

    os.environ[API_KEY_ENV] = API_KEY
    return parse_registry({"regions": [
        rest_entry(REGION, base, api_key_env=API_KEY_ENV, page_size=page_size, timeout_seconds=120, max_attempts=2)
    ]}).regions[0]


async def pull_ceiling(base: str, page_size: int) -> Ceiling:
    """The connector's pull over every page (download, decode, map), nothing written."""
    from hub.connectors.http import region_client
    from hub.sync.runs import build_connector

    region = bench_region(base, page_size)
    seen: set[str] = set()
    cursor: dict[str, Any] = {}
    async with region_client(region) as client:
        connector = build_connector(region, client)
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(MAX_PAGES):
            page = await connector.pull(cursor, page_size=page_size)
            seen.update(record.source_id for record in page.records)
            cursor = page.next_cursor
            if not page.more:
                break
        return Ceiling(records=len(seen), seconds=time.perf_counter() - started, cpu_seconds=time.process_time() - cpu)


# -- the backfill, in a child process -----------------------------------------
def _rss_kb(field: str) -> int | None:
    """``VmRSS`` or ``VmHWM`` of this process in kB (Linux), else None."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
        return True
    except OSError:
        return False


def _psql(url: str, database: str, sql: str) -> subprocess.CompletedProcess[str]:
    parsed = make_url(url)
    args = ["psql", "-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres",
            "-d", database, "-v", "ON_ERROR_STOP=1", "-Atc", sql]
    env = {**os.environ, **({"PGPASSWORD": parsed.password} if parsed.password else {})}
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)


def reset_postgres(url: str) -> None:
    """Create the database if missing; drop and recreate its ``public`` schema."""
    database = make_url(url).database or "hubbench"
    exists = _psql(url, "postgres", f"SELECT 1 FROM pg_database WHERE datname = '{database}'")
    if exists.returncode != 0:
        raise RuntimeError(f"cannot reach PostgreSQL: {exists.stderr.strip()}")
    if exists.stdout.strip() != "1":
        _psql(url, "postgres", f'CREATE DATABASE "{database}"').check_returncode()
    _psql(url, database, "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;").check_returncode()


def reset_sqlite(url: str) -> None:
    path = Path(make_url(url).database or "")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def _backfill(url: str, base: str, page_size: int, trace: bool, profile_to: str | None) -> dict[str, Any]:
    from hub.domain.sla import ServiceLevels
    from hub.store.database import create_engine, is_sqlite
    from hub.store.migrate import upgrade
    from hub.store.models import Complaint, ComplaintSource
    from hub.sync.runs import PullRun

    (reset_sqlite if is_sqlite(url) else reset_postgres)(url)
    engine = create_engine(url)
    await upgrade(engine)
    region = bench_region(base, page_size)
    run = PullRun(engine, region, levels=ServiceLevels(), full=True, trigger="bench")

    gc.collect()
    hwm = _reset_peak_rss() and _rss_kb("VmRSS") is not None
    rss_before = _rss_kb("VmRSS") if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    profiler = None
    if profile_to:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    elif trace:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    report = await run.execute()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    peak = 0
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile_to)
    elif trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    rss_after = (_rss_kb("VmHWM") if hwm else None) or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    async with engine.connect() as connection:
        sources = (await connection.execute(select(func.count()).select_from(ComplaintSource))).scalar_one()
        complaints = (await connection.execute(select(func.count()).select_from(Complaint))).scalar_one()
        if not is_sqlite(url):
            await connection.execute(text("SELECT 1"))
    await engine.dispose()
    return {
        "status": None if report.status is None else report.status.value, "error": report.error,
        "pages": report.pages, "seen": report.seen, "created": report.created, "sources": sources,
        "complaints": complaints, "seconds": seconds, "cpu_seconds": cpu_seconds, "tracemalloc_peak": peak, "rss_growth_kb": rss_after - rss_before,
        "rss_peak_kb": rss_after,
    }


def _child(url: str, base: str, page_size: int, trace: bool, profile_to: str | None, out: Any) -> None:
    try:
        out.put(asyncio.run(_backfill(url, base, page_size, trace, profile_to)))
    except BaseException as exc:
        out.put({"status": "CRASHED", "error": f"{type(exc).__name__}: {exc}"})
        raise


def backfill(url: str, base: str, page_size: int, *, trace: bool, profile_to: str | None) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    child = context.Process(target=_child, args=(url, base, page_size, trace, profile_to, out))
    child.start()
    try:
        result: dict[str, Any] = out.get(timeout=CHILD_TIMEOUT_SECONDS)
    finally:
        child.join(timeout=30)
        if child.is_alive():
            child.terminate()
            child.join()
    return result


def print_profile(path: str) -> None:
    import pstats

    stats = pstats.Stats(path)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(30)


# -- driver -------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--no-tracemalloc", dest="trace", action="store_false", help="time the sync without tracemalloc")
    parser.add_argument("--profile", action="store_true", help="run the backfill under cProfile and print the top functions")
    args = parser.parse_args()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(backends) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown backend(s): {', '.join(sorted(unknown))}")

    temp = Path(tempfile.gettempdir())
    sim_db = temp / f"lapor_sync_sim_{args.complaints}.db"
    started = time.perf_counter()
    if seed_file(sim_db, args.complaints):
        print(f"seeded the simulator with {args.complaints} complaints in {time.perf_counter() - started:.1f} s ({sim_db})")
    urls = {"sqlite": f"sqlite+aiosqlite:///{temp / 'lapor_sync_backfill_hub.db'}", "postgresql": args.postgres_url}

    rows: list[tuple[str, dict[str, Any], Floor]] = []
    env = {"SYNC_SIM_DB": str(sim_db), "SYNC_SIM_COMPLAINTS": str(args.complaints), "PYTHONPATH": str(ROOT / "bench")}
    with uvicorn_process("sync_simulator:create", env=env, port=free_port(), factory=True) as base:
        asyncio.run(download_floor(base, args.page_size))  # warm-up: simulator page cache and code paths
        ceiling = asyncio.run(pull_ceiling(base, args.page_size))
        print(f"pull ceiling: {ceiling.records} records in {ceiling.seconds:.1f} s, "
              f"{ceiling.cpu_seconds / ceiling.records * 1e6:.0f} µs of CPU a record", flush=True)
        for backend in backends:
            floor = asyncio.run(download_floor(base, args.page_size))
            print(f"{backend}: floor {floor.records} records ({floor.downloaded} downloaded, {floor.pages} pages) "
                  f"in {floor.seconds:.1f} s", flush=True)
            profile_to = str(temp / f"lapor_sync_backfill_{backend}.prof") if args.profile else None
            result = backfill(urls[backend], base, args.page_size, trace=args.trace, profile_to=profile_to)
            if result.get("status") != "SUCCEEDED" or result.get("sources") != floor.records:
                print(f"{backend}: backfill did not complete: {result}", file=sys.stderr)
            else:
                print(f"{backend}: sync {result['sources']} records ({result['seen']} read, {result['pages']} pages) "
                      f"in {result['seconds']:.1f} s", flush=True)
            rows.append((backend, result, floor))
            if profile_to:
                print_profile(profile_to)

    mode = "tracemalloc on" if args.trace and not args.profile else ("cProfile" if args.profile else "tracemalloc off")
    print(f"\nfull backfill of a {args.complaints}-complaint REST region, page size {args.page_size}, {mode}")
    print(f"{'backend':<11} {'records':>8} {'seconds':>8} {'records/s':>10} {'peak MB':>8} {'RSS +MB':>8} "
          f"{'RSS peak MB':>12} {'floor rec/s':>12} {'sync/floor':>10} {'pull/floor':>10} {'CPU µs/rec':>10}")
    for backend, result, floor in rows:
        if result.get("status") != "SUCCEEDED":
            print(f"{backend:<11} failed: {result.get('error')}")
            continue
        rate = result["sources"] / result["seconds"]
        peak = f"{result['tracemalloc_peak'] / 2**20:8.1f}" if result["tracemalloc_peak"] else f"{'-':>8}"
        print(f"{backend:<11} {result['sources']:>8} {result['seconds']:>8.1f} {rate:>10.0f} {peak} "
              f"{result['rss_growth_kb'] / 1024:>8.1f} {result['rss_peak_kb'] / 1024:>12.1f} {floor.rate:>12.0f} "
              f"{rate / floor.rate:>10.2f} {ceiling.rate / floor.rate:>10.2f} "
              f"{result['cpu_seconds'] / result['sources'] * 1e6:>10.0f}")
    print(f"pull ceiling (download, decode and map, nothing written): {ceiling.rate:.0f} records/s, "
          f"{ceiling.cpu_seconds / ceiling.records * 1e6:.0f} µs of CPU a record")


if __name__ == "__main__":
    main()
