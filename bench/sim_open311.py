"""An Open311 simulator of 5,000 requests: how long it takes to start, and to
be read whole by date windows when it has no paging and caps its answers.

    python bench/sim_open311.py [--complaints 5000] [--runs 3]

Prints, next to each figure, a floor measured in the same run:

- start: building the app (seeding its SQLite store) against generating the
  same records alone, without storing them;
- windowed read: every request through ``GET requests.xml`` by date windows
  (``paging=none``, 1000 per answer, the window's end moved to the oldest
  ``requested_datetime`` served) against one ``GET /_admin/ground-truth``
  holding every request and its updates.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from hub.simulators import SimulatorConfig, create_app  # noqa: E402
from hub.simulators.data import Generator  # noqa: E402
from hub.simulators.open311 import Open311Habits  # noqa: E402
from hub.simulators.testing import running_app  # noqa: E402

REFERENCE_NOW = datetime(2026, 10, 1, tzinfo=UTC)


def config(complaints: int) -> SimulatorConfig:
    return SimulatorConfig(kind="open311", region_code="61.71", seed=8, complaints=complaints, reference_now=REFERENCE_NOW,
                           open311=Open311Habits(formats="xml", paging="none", cap=1000))


def generate_only(complaints: int) -> None:
    generator = Generator(8, "61.71")
    rng = generator.rng
    update_ids = iter(range(1, 10 * complaints))
    for number in range(1, complaints + 1):
        complaint = generator.complaint(number, f"REQ-6171-{number:06d}", REFERENCE_NOW - timedelta(days=rng.uniform(1, 90)))
        generator.history(complaint, lambda: next(update_ids), REFERENCE_NOW)


def timed(action: Callable[[], object], runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return seconds


def read_by_windows(client: httpx.Client) -> int:
    seen: set[str] = set()
    start, end = "2026-07-03T00:00:00Z", "2026-10-01T00:00:00Z"
    while True:
        tree = ElementTree.fromstring(client.get("/requests.xml", params={"start_date": start, "end_date": end}).content)
        batch = [{field.tag: field.text or "" for field in request} for request in tree]
        seen.update(r["service_request_id"] for r in batch)
        if len(batch) < 1000:
            return len(seen)
        end = batch[-1]["requested_datetime"]


def line(name: str, seconds: list[float], floor: list[float]) -> str:
    median, floor_median = statistics.median(seconds), statistics.median(floor)
    return f"{name:<34} {median:7.2f} s   floor {floor_median:7.2f} s   ({median / floor_median:4.1f}x, median of {len(seconds)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    print(f"Open311 simulator, {args.complaints} requests, region 61.71")
    start = timed(lambda: create_app(config(args.complaints)), args.runs)
    start_floor = timed(lambda: generate_only(args.complaints), args.runs)
    print(line("start (seed the store)", start, start_floor))

    with running_app(create_app(config(args.complaints))) as base, httpx.Client(base_url=base, timeout=120) as client:
        assert read_by_windows(client) == args.complaints, "the windowed read lost requests"
        windows = timed(lambda: read_by_windows(client), args.runs)
        truth = timed(lambda: client.get("/_admin/ground-truth").content, args.runs)
    print(line("windowed read, XML, cap 1000", windows, truth))


if __name__ == "__main__":
    main()
