"""Exporting the complaint list: rows per second and the server's memory while it streams.

    python bench/export.py --url postgresql+asyncpg://postgres@127.0.0.1:5432/hub_export --rows 1000000

Tops the PostgreSQL store up to ``--rows`` complaints (2,000 realistic ones
from ``hub.store.seeding``, then copies of them made in SQL, which takes
seconds rather than the hour seeding a million would), serves the hub under
uvicorn, and downloads the national CSV export (and, with ``--xlsx``, the
XLSX) while sampling the server's resident memory. The baseline, measured in
the same run, is an export of one province (a few percent of the rows):
memory that stays flat is the same peak for both.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import threading
import time
from collections import Counter

import httpx
from sqlalchemy import func, select, text

from bench._harness import free_port, uvicorn_server
from hub.domain.vocabulary import Role
from hub.settings import Settings
from hub.store.database import create_engine
from hub.store.migrate import upgrade
from hub.store.models import Complaint
from hub.store.seeding import seed_complaints
from hub.tokens import issue_token

EXPORT = """query($filter: ComplaintFilter, $format: ExportFormat!) { complaintsExport(filter: $filter, format: $format) { url } }"""


async def prepare(url: str, rows: int) -> str:
    engine = create_engine(url)
    try:
        await upgrade(engine)
        async with engine.connect() as connection:
            have = (await connection.execute(select(func.count()).select_from(Complaint))).scalar_one()
        if have < 2000:
            await seed_complaints(engine, count=2000 - have, seed=2025)
            have = 2000
        columns = [c.name for c in Complaint.__table__.columns if c.name not in ("id", "tracking_id", "merged_into_id")]
        listed = ", ".join(columns)
        copied = ", ".join(f"c.{name}" for name in columns)
        while have < rows:
            batch = min(rows - have, 200_000)
            async with engine.begin() as connection:
                await connection.execute(text(
                    f"INSERT INTO complaints (tracking_id, merged_into_id, {listed}) "
                    f"SELECT 'EXP-' || lpad((:start + n)::text, 12, '0'), NULL, {copied} "
                    "FROM generate_series(1, :batch) AS n "
                    "JOIN complaints c ON c.id = (SELECT min(id) FROM complaints) + ((n - 1) % 2000)"
                ), {"start": have, "batch": batch})
            have += batch
            print(f"  store holds {have:,} complaints", flush=True)
        async with engine.connect() as connection:
            await connection.execute(text("ANALYZE complaints"))
            codes = (await connection.execute(select(Complaint.region_code))).scalars().all()
        return Counter(code.split(".")[0] for code in codes).most_common()[-1][0]
    finally:
        await engine.dispose()


def resident_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def download(base: str, token: str, fmt: str, pid: int, filter: dict | None) -> tuple[int, float, float, int]:
    """(rows, seconds, peak resident MB of the server, bytes) of one export."""
    answer = httpx.post(f"{base}/graphql", json={"query": EXPORT, "variables": {"format": fmt, "filter": filter}},
                        headers={"Authorization": f"Bearer {token}"}, timeout=60).json()
    link = answer["data"]["complaintsExport"]["url"]
    path = link[link.index("/export/"):]
    peak, done = [resident_mb(pid)], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak.append(resident_mb(pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started, size, lines = time.perf_counter(), 0, 0
    with httpx.stream("GET", f"{base}{path}", timeout=3600) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            size += len(chunk)
            lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    rows = lines - 1 if fmt == "CSV" else -1
    return rows, seconds, max(peak), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/hub_export")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx", action="store_true", help="also export XLSX (slow: a cell at a time)")
    args = parser.parse_args()
    if not args.url.startswith("postgresql"):
        raise SystemExit("this benchmark copies rows with PostgreSQL's generate_series; give a PostgreSQL URL")
    smallest = asyncio.run(prepare(args.url, args.rows))
    settings = Settings(database_url=args.url)
    token = issue_token(secret=settings.secret, role=Role.NATIONAL_ADMIN)
    env = {"HUB_DATABASE_URL": args.url}
    with uvicorn_server("server:app", env=env, port=free_port()) as (base, process):
        httpx.get(f"{base}/healthz")
        at_rest = resident_mb(process.pid)
        print(f"server at rest: {at_rest:.0f} MB resident")
        formats = ["CSV", "XLSX"] if args.xlsx else ["CSV"]
        for fmt in formats:
            small = download(base, token, fmt, process.pid, {"provinceCode": smallest})
            full = download(base, token, fmt, process.pid, None)
            for name, (rows, seconds, peak, size) in (("one province (baseline)", small), ("national", full)):
                shown = f"{rows:,} rows" if rows >= 0 else f"{size / 1e6:.0f} MB"
                rate = f"{rows / seconds:,.0f} rows/s" if rows >= 0 else f"{size / 1e6 / seconds:.1f} MB/s"
                print(f"{fmt:<5} {name:<24} {shown:>14} in {seconds:7.1f} s ({rate}), "
                      f"server peak {peak:.0f} MB resident ({peak - at_rest:+.0f} MB over rest)")
    print(json.dumps({"rows": args.rows, "at_rest_mb": round(at_rest)}))


if __name__ == "__main__":
    main()
