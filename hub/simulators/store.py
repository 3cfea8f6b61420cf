"""A simulator's own storage: SQLite (a file, or memory), one JSON document per
complaint, indexed by update time for paging.

Records are kept in a neutral shape (:class:`SimComplaint`); each app renders
them in its own vocabulary and format.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

# Stages every simulator shares; each app has its own words for them.
STAGES = ("new", "verified", "in_progress", "done", "rejected", "withdrawn")
OPEN_STAGES = ("new", "verified", "in_progress")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


# Where a record or an update came from: the app's own staff and activity, or
# a write received over its API (from the hub, or a test).
ORIGINS = ("app", "api")


@dataclass
class Update:
    """A follow-up (tanggapan) or status change recorded by the regional app."""

    id: int
    text: str
    author: str
    stage: str
    at: str  # ISO UTC
    kind: str = "follow_up"  # or "status_change": a status set on its own, without a follow-up
    origin: str = "app"
    idempotency_key: str | None = None  # of the write that brought it, if any


@dataclass
class SimComplaint:
    id: int
    ticket: str
    title: str
    body: str
    category: str
    stage: str
    reporter: dict[str, Any]
    location: dict[str, Any]
    created_at: str  # ISO UTC
    updated_at: str  # ISO UTC
    tracking_id: str | None = None  # the national id, when the hub sent it
    updates: list[Update] = field(default_factory=list)
    confidential: bool = False  # rahasia: content for the reporter and the staff handling it only
    origin: str = "app"
    idempotency_key: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SimComplaint:
        updates = [Update(**u) for u in data.pop("updates", [])]
        return cls(**data, updates=updates)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class SimStore:
    def __init__(self, path: str | None) -> None:
        self._db = sqlite3.connect(path or ":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock:
            self._db.executescript(
                """
                CREATE TABLE IF NOT EXISTS complaints (id INTEGER PRIMARY KEY, updated_at TEXT NOT NULL, data TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS complaints_updated ON complaints (updated_at, id);
                CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,
                                                        status INTEGER NOT NULL, body TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                """
            )

    def is_empty(self) -> bool:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM complaints").fetchone()[0] == 0

    def next_id(self, name: str) -> int:
        with self._lock, self._db:
            self._db.execute("INSERT OR IGNORE INTO counters VALUES (?, 0)", (name,))
            self._db.execute("UPDATE counters SET value = value + 1 WHERE name = ?", (name,))
            return self._db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0]

    def save(self, complaint: SimComplaint) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO complaints (id, updated_at, data) VALUES (?, ?, ?)",
                (complaint.id, complaint.updated_at, json.dumps(complaint.to_json(), ensure_ascii=False)),
            )

    def save_many(self, complaints: list[SimComplaint]) -> None:
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO complaints (id, updated_at, data) VALUES (?, ?, ?)",
                [(c.id, c.updated_at, json.dumps(c.to_json(), ensure_ascii=False)) for c in complaints],
            )

    def get(self, complaint_id: int) -> SimComplaint | None:
        with self._lock:
            row = self._db.execute("SELECT data FROM complaints WHERE id = ?", (complaint_id,)).fetchone()
        return SimComplaint.from_json(json.loads(row[0])) if row else None

    def page(self, *, since: str | None, until: str | None = None, offset: int, limit: int, newest_first: bool = False,
             after: tuple[str, int] | None = None, include_after: bool = False) -> tuple[list[SimComplaint], int]:
        """Complaints updated at or after ``since`` (and before ``until``), by (updated_at, id),
        oldest first unless ``newest_first``; with the total that matches the filter.

        ``after`` is a position (updated_at, id) in that order: only records past
        it are read (from it on, with ``include_after``), for keyset paging.
        """
        where: list[str] = []
        args: list[Any] = []
        if since:
            where.append("updated_at >= ?")
            args.append(since)
        if until:
            where.append("updated_at < ?")
            args.append(until)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        window, window_args = list(where), list(args)
        if after is not None:
            comparison = ("<" if newest_first else ">") + ("=" if include_after else "")
            window.append(f"(updated_at, id) {comparison} (?, ?)")
            window_args.extend(after)
        window_clause = f"WHERE {' AND '.join(window)}" if window else ""
        direction = "DESC" if newest_first else "ASC"
        with self._lock:
            total = self._db.execute(f"SELECT COUNT(*) FROM complaints {clause}", args).fetchone()[0]
            rows = self._db.execute(
                f"SELECT data FROM complaints {window_clause} ORDER BY updated_at {direction}, id {direction} LIMIT ? OFFSET ?",
                [*window_args, limit, offset],
            ).fetchall()
        return [SimComplaint.from_json(json.loads(r[0])) for r in rows], total

    def all(self) -> list[SimComplaint]:
        with self._lock:
            rows = self._db.execute("SELECT data FROM complaints ORDER BY id").fetchall()
        return [SimComplaint.from_json(json.loads(r[0])) for r in rows]

    def ids(self) -> list[int]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT id FROM complaints ORDER BY id")]

    # -- idempotent writes ----------------------------------------------
    def remembered(self, key: str) -> tuple[str, int, str] | None:
        with self._lock:
            row = self._db.execute("SELECT fingerprint, status, body FROM idempotency WHERE key = ?", (key,)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def remember(self, key: str, fingerprint: str, status: int, body: str) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR IGNORE INTO idempotency VALUES (?, ?, ?, ?)", (key, fingerprint, status, body))
