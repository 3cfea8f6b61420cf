"""Statistics at national scale: p50 and p95 latency of the dashboard's questions.

    python bench/stats.py --url postgresql+asyncpg://postgres@127.0.0.1:5432/hubstats --complaints 1000000
    python bench/stats.py --url sqlite+aiosqlite:///./stats100k.db --complaints 100000

Migrates the store, tops it up to ``--complaints`` realistic complaints
(``hub.store.seeding``; seeding a million takes minutes, so it is done once and
reused), refreshes planner statistics, then runs each query ``--runs`` times
through the GraphQL schema as a national admin (resolvers, scope and store
included, no HTTP) and prints the latencies twice: the baseline, every figure
computed live from the complaints (as before the tallies, no stored answers),
and as served: counts fresh from the tallies of migration 0016, percentiles
kept by the scheduler's refresh (``stats_cache.warm``).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime

from sqlalchemy import delete, func, select, text

from hub.domain.access import NATIONAL
from hub.resolvers.context import Context
from hub.schema.build import build_schema
from hub.settings import Settings
from hub.store import stats_cache, stats_tally
from hub.store.database import create_engine, is_sqlite, session_factory
from hub.store.migrate import upgrade
from hub.store.models import Complaint
from hub.store.seeding import seed_complaints

QUERIES = {
    "stats(groupBy: PROVINCE), national": """{ stats(groupBy: PROVINCE) {
        overall { total completed completionRate medianHoursToResolve }
        groups { key total completed completionRate medianHoursToResolve p90HoursToResolve followUpOnTimeRate
                 averageRating slaBreaches { verify followUp resolve } } } }""",
    "ranking(provinceCode: \"35\")": """{ ranking(provinceCode: "35") {
        rank code index completionRate followUpOnTimeRate ratingScore total } }""",
    "stats(groupBy: MONTH), last 12 months": """query($since: DateTime!) { stats(groupBy: MONTH,
        filter: { createdFrom: $since }) { groups { key total completed } } }""",
}


async def _time(schema, query: str, sessions, url: str, since: str, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    timings: list[float] = []
    for attempt in range(runs + 1):
        context = Context(viewer=NATIONAL, settings=_settings(url), sessions=sessions, now=datetime.now(UTC))
        started = time.perf_counter()
        result = await schema.execute(query, variable_values={"since": since}, context_value=context)
        elapsed = time.perf_counter() - started
        await context.close()
        if result.errors:
            raise SystemExit(f"{query}: {result.errors}")
        if attempt:  # the first run warms caches and connections
            timings.append(elapsed * 1000)
    return timings


def _settings(url: str) -> Settings:
    # the live baseline may take seconds; one client asks many times a minute
    return Settings(database_url=url, execution_timeout_seconds=300, rate_limits=False)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def main(url: str, complaints: int, runs: int, live_runs: int) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    async with engine.connect() as connection:
        have = (await connection.execute(select(func.count()).select_from(Complaint))).scalar_one()
    if have < complaints:
        print(f"seeding {complaints - have} complaints (have {have}) ...", flush=True)
        summary = await seed_complaints(engine, count=complaints - have, seed=2025 + have)
        print(f"  seeded in {summary.elapsed:.0f}s", flush=True)
    async with engine.begin() as connection:
        await connection.execute(text("ANALYZE"))
        total = (await connection.execute(select(func.count()).select_from(Complaint))).scalar_one()
    schema = build_schema(_settings(url))
    sessions = session_factory(engine)
    # the dashboard's trend: from the first day of the month eleven months ago, at midnight in Jakarta (WIB)
    now = datetime.now(stats_tally.WIB)
    since = datetime(now.year - (now.month < 12), now.month % 12 + 1, 1, tzinfo=stats_tally.WIB).isoformat()
    backend = "SQLite" if is_sqlite(url) else "PostgreSQL"
    print(f"{backend}, {total:,} complaints, {runs} runs each ({live_runs} for the live baseline) after one warm-up")
    async with engine.connect() as connection:
        sizes = {t.name: (await connection.execute(select(func.count()).select_from(t.table))).scalar_one()
                 for t in stats_tally.TALLIES}
    print(" tallies: " + ", ".join(f"{name} {rows:,} rows" for name, rows in sizes.items()))
    plan = stats_tally.plan
    for mode in ("live", "served"):
        # live (the baseline): every figure computed from the complaints, nothing kept;
        # served: counts from the tallies, percentiles kept by the scheduler's refresh
        stats_tally.plan = (lambda *args: None) if mode == "live" else plan  # type: ignore[assignment]
        stats_cache.SLOW = float("inf") if mode == "live" else 0.25
        async with engine.begin() as connection:
            await connection.execute(delete(stats_cache.StatsCacheRow))
        if mode == "served":  # the scheduler's jobs have run: the hourly fold and the percentiles' refresh
            await stats_tally.roll_up_open(engine, today=datetime.now(UTC).date())
            await stats_cache.warm(engine)
        print(f" {mode}:")
        for name, query in QUERIES.items():
            timings = await _time(schema, query, sessions, url, since, live_runs if mode == "live" else runs)
            print(f"  {name:42s} p50 {statistics.median(timings):8.1f} ms   p95 {percentile(timings, 0.95):8.1f} ms")
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="sqlite+aiosqlite:///./stats100k.db")
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--live-runs", type=int, default=5, help="runs of the (slow) live baseline")
    args = parser.parse_args()
    asyncio.run(main(args.url, args.complaints, args.runs, args.live_runs))
