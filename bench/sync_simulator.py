"""The REST simulator for region 19.71 as a uvicorn factory, for ``bench/sync_backfill.py``.

    SYNC_SIM_DB=/tmp/sim.db SYNC_SIM_COMPLAINTS=100000 python -m uvicorn --factory sync_simulator:create

``seed_file`` writes the simulator's data into a SQLite file once (seeded in
memory, then copied), so the served app and later runs reuse it.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from starlette.applications import Starlette  # noqa: E402

from hub.simulators import SimulatorConfig, create_app  # noqa: E402
from hub.simulators.state import SimulatorState  # noqa: E402

REGION = "19.71"
SEED = 7
REFERENCE_NOW = datetime(2026, 10, 1, tzinfo=UTC)


def config(db_path: str | None, complaints: int) -> SimulatorConfig:
    return SimulatorConfig(kind="rest", region_code=REGION, complaints=complaints, seed=SEED, db_path=db_path,
                           reference_now=REFERENCE_NOW)


def seed_file(path: Path, complaints: int) -> bool:
    """Seed ``complaints`` into ``path`` unless it already holds data; whether it seeded."""
    if path.exists():
        with sqlite3.connect(path) as existing:
            try:
                if existing.execute("SELECT COUNT(*) FROM complaints").fetchone()[0] > 0:
                    return False
            except sqlite3.OperationalError:
                pass
        path.unlink()
    state = SimulatorState(config(None, complaints))  # in memory: one commit per id is cheap there
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(partial) as target:
        state.store._db.backup(target)
    partial.rename(path)
    return True


def create() -> Starlette:
    return create_app(config(os.environ["SYNC_SIM_DB"], int(os.environ["SYNC_SIM_COMPLAINTS"])))
