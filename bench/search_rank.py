"""Search benchmark: a page of search results ranked by relevance against the same page newest first.

Seeds N complaints (default 50,000) into a store, then reads 20-complaint
pages of search results through the store's own page reader
(:func:`hub.store.complaint_reads.read_page`, as the API does; list columns
and region), as a national admin, for a few searches: a word most
complaints hold, a rarer pair of words, a misspelt word (PostgreSQL maps it
to the known words similar to it, hub_search_query) and a phrase that
matches nothing. Each search is
read newest first (CREATED_AT_DESC, the baseline: what search answered
before ranking) and ranked (RELEVANCE), first page and the page after it,
alternating, several times, and counts the matches (what ``totalCount``
reads); prints the median milliseconds of each and the ratios ranked /
newest first and ranked / count. Ranking has to find and score every match
(at most the newest RANKED_MATCHES, 5,000) before it can pick the best 20,
as counting has to find them all, while newest first can stop at 20 matches: ranked / count is what scoring and
sorting add, ranked / newest first what a search page costs more than it
did unranked.

    python bench/search_rank.py [--complaints 50000] [--repeats 7]
                                [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/bench_searchrank]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from graphql_read import prepare  # noqa: E402  (migrate, top up the seeded complaints, ANALYZE)

from hub.domain.access import Viewer  # noqa: E402
from hub.domain.vocabulary import Role  # noqa: E402
from hub.store.complaint_queries import ComplaintFilter, ComplaintOrder, count_complaints  # noqa: E402
from hub.store.complaint_reads import read_page  # noqa: E402
from hub.store.database import create_engine, is_sqlite, session_factory  # noqa: E402
from hub.store.read_rows import ComplaintSelection  # noqa: E402

SEARCHES = ("jalan", "air pdam keruh", "drainase tersumbt", "gajah terbang")
SELECTION = ComplaintSelection(columns=frozenset({"tracking_id", "title", "status"}), region=True)
NATIONAL = Viewer(role=Role.NATIONAL_ADMIN)


async def measure(url: str, repeats: int) -> None:
    engine = create_engine(url)
    sessions = session_factory(engine)
    now = datetime.now(UTC)

    async def page(where: ComplaintFilter, order: ComplaintOrder, after: str | None) -> tuple[float, str | None]:
        async with sessions() as session:
            started = time.perf_counter()
            found = await read_page(session, NATIONAL, where=where, order=order, first=20, after=after, now=now,
                                    selection=SELECTION)
            took = (time.perf_counter() - started) * 1000
        return took, found.cursor_of(found.complaints[-1]) if found.has_next_page else None

    async def counted(where: ComplaintFilter) -> tuple[float, int]:
        async with sessions() as session:
            started = time.perf_counter()
            matches = await count_complaints(session, NATIONAL, where=where, now=now)
            return (time.perf_counter() - started) * 1000, matches

    print(f"{'search':<22}{'matches':>9}  {'page':<6}{'newest first ms':>16}{'ranked ms':>11}{'count ms':>10}"
          f"{'ranked/newest':>15}{'ranked/count':>14}")
    for words in SEARCHES:
        where = ComplaintFilter(text=words)
        times: dict[tuple[ComplaintOrder, int], list[float]] = {}
        counts: list[float] = []
        for repeat in range(repeats + 1):  # the first round warms caches and is not counted
            orders = (ComplaintOrder.CREATED_AT_DESC, ComplaintOrder.RELEVANCE)
            for order in orders if repeat % 2 else orders[::-1]:
                took, after = await page(where, order, None)
                if repeat and order is orders[0]:
                    took_count, matches = await counted(where)
                    counts.append(took_count)
                later = (await page(where, order, after))[0] if after else None
                if repeat:
                    times.setdefault((order, 1), []).append(took)
                    if later is not None:
                        times.setdefault((order, 2), []).append(later)
        for number in (1, 2):
            if (ComplaintOrder.RELEVANCE, number) not in times:
                continue
            newest = statistics.median(times[(ComplaintOrder.CREATED_AT_DESC, number)])
            ranked = statistics.median(times[(ComplaintOrder.RELEVANCE, number)])
            count = statistics.median(counts)
            print(f"{words:<22}{matches:>9}  {number:<6}{newest:>16.1f}{ranked:>11.1f}{count:>10.1f}"
                  f"{ranked / newest:>15.2f}{ranked / count:>14.2f}")
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{os.path.join(folder, 'hub.db')}"
        print(f"store: {'SQLite' if is_sqlite(url) else 'PostgreSQL'}, {args.complaints} complaints; "
              f"load average {os.getloadavg()[0]:.2f}")
        asyncio.run(prepare(url, args.complaints))
        asyncio.run(measure(url, args.repeats))


if __name__ == "__main__":
    main()
