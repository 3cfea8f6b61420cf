"""A simulator's own storage: SQLite (a file, or memory), one JSON document per
complaint, with the columns the apps filter and order on (update time, creation
time, stage, category) kept beside it, so a filter is applied before a page is cut.

Records are kept in a neutral shape (:class:`SimComplaint`); each app renders
them in its own vocabulary and format.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

# Stages every simulator shares; each app has its own words for them.
STAGES = ("new", "verified", "in_progress", "done", "rejected", "withdrawn")
OPEN_STAGES = ("new", "verified", "in_progress")

Order = Literal["updated", "newest_updated", "newest_requested"]
_ORDER_BY = {"updated": "updated_at, id", "newest_updated": "updated_at DESC, id DESC",
             "newest_requested": "created_at DESC, id DESC"}


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def iso_seconds(moment: datetime) -> str:
    """``moment`` in UTC to the second, comparable with the first 19 characters of :func:`iso`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


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
    status: str | None = None  # the app's own status word, when a client posted one (Open311 extended status)
    media_url: str | None = None
    client_update_id: str | None = None  # the id a client (the hub) gave the update it posted

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "text": self.text, "author": self.author, "stage": self.stage, "at": self.at,
                                "kind": self.kind, "origin": self.origin}
        for name in ("idempotency_key", "status", "media_url", "client_update_id"):
            if (value := getattr(self, name)) is not None:
                data[name] = value
        return data


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
    media_url: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SimComplaint:
        updates = [Update(**u) for u in data.pop("updates", [])]
        return cls(**data, updates=updates)

    def to_json(self) -> dict[str, Any]:
        # By hand rather than dataclasses.asdict: seeding thousands of records stays fast.
        data = {"id": self.id, "ticket": self.ticket, "title": self.title, "body": self.body, "category": self.category,
                "stage": self.stage, "reporter": dict(self.reporter), "location": dict(self.location),
                "created_at": self.created_at, "updated_at": self.updated_at, "tracking_id": self.tracking_id,
                "updates": [u.to_json() for u in self.updates], "confidential": self.confidential,
                "origin": self.origin}
        for name in ("idempotency_key", "media_url"):
            if (value := getattr(self, name)) is not None:
                data[name] = value
        return data


def _row(c: SimComplaint) -> tuple[Any, ...]:
    return (c.id, c.updated_at, c.created_at, c.stage, c.category, json.dumps(c.to_json(), ensure_ascii=False))


class SimStore:
    def __init__(self, path: str | None) -> None:
        self._db = sqlite3.connect(path or ":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock:
            self._db.executescript(
                """
                CREATE TABLE IF NOT EXISTS complaints (id INTEGER PRIMARY KEY, updated_at TEXT NOT NULL, created_at TEXT,
                                                       stage TEXT, category TEXT, data TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,
                                                        status INTEGER NOT NULL, body TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                """
            )
            self._add_filter_columns()
            self._db.executescript(
                """
                CREATE INDEX IF NOT EXISTS complaints_updated ON complaints (updated_at, id);
                CREATE INDEX IF NOT EXISTS complaints_created ON complaints (created_at, id);
                """
            )

    def _add_filter_columns(self) -> None:
        """Files written before creation time, stage and category had columns get them, filled from the JSON."""
        have = {row[1] for row in self._db.execute("PRAGMA table_info(complaints)")}
        with self._db:
            for name in ("created_at", "stage", "category"):
                if name not in have:
                    self._db.execute(f"ALTER TABLE complaints ADD COLUMN {name} TEXT")
                    self._db.execute(f"UPDATE complaints SET {name} = json_extract(data, '$.{name}')")

    def is_empty(self) -> bool:
        with self._lock:
            return bool(self._db.execute("SELECT COUNT(*) FROM complaints").fetchone()[0] == 0)

    def next_id(self, name: str) -> int:
        return self.reserve(name, 1)

    def counter(self, name: str) -> int:
        """The last id counter ``name`` handed out (0: none yet)."""
        with self._lock:
            row = self._db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
        return int(row[0]) if row else 0

    def reserve(self, name: str, count: int) -> int:
        """Take ``count`` consecutive ids of counter ``name``; answer the first."""
        with self._lock, self._db:
            self._db.execute("INSERT OR IGNORE INTO counters VALUES (?, 0)", (name,))
            self._db.execute("UPDATE counters SET value = value + ? WHERE name = ?", (count, name))
            return int(self._db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0]) - count + 1

    def save(self, complaint: SimComplaint) -> None:
        self.save_many([complaint])

    def save_many(self, complaints: Iterable[SimComplaint]) -> None:
        rows = [_row(c) for c in complaints]
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO complaints (id, updated_at, created_at, stage, category, data) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )

    def get(self, complaint_id: int) -> SimComplaint | None:
        with self._lock:
            row = self._db.execute("SELECT data FROM complaints WHERE id = ?", (complaint_id,)).fetchone()
        return SimComplaint.from_json(json.loads(row[0])) if row else None

    def get_many(self, complaint_ids: Iterable[int]) -> list[SimComplaint]:
        """The complaints with these ids, in the order asked, unknown ids left out."""
        return [c for c in (self.get(i) for i in complaint_ids) if c is not None]

    def query(self, *, since: str | None = None, until: str | None = None, created_from: str | None = None,
              created_to: str | None = None, stages: Iterable[str] | None = None, categories: Iterable[str] | None = None,
              order: Order = "updated", offset: int = 0, limit: int = 1000,
              after: tuple[str, int] | None = None, include_after: bool = False) -> tuple[list[SimComplaint], int]:
        """Complaints matching every filter given, ordered, one slice of them, and how many match in all.

        ``since`` (inclusive) and ``until`` (exclusive) compare the update time to the microsecond;
        ``created_from`` and ``created_to`` are both inclusive and compare the creation time to the
        second (:func:`iso_seconds`), as a client sees it in a served timestamp. ``after`` is a
        position (updated_at, id) in an update-time order: only records past it are read (from it
        on, with ``include_after``), for keyset paging.
        """
        where: list[str] = []
        args: list[Any] = []
        for clause, value in (("updated_at >= ?", since), ("updated_at < ?", until),
                              ("substr(created_at, 1, 19) >= ?", created_from),
                              ("substr(created_at, 1, 19) <= ?", created_to)):
            if value:
                where.append(clause)
                args.append(value)
        for column, values in (("stage", stages), ("category", categories)):
            if values is not None:
                chosen = list(values)
                where.append(f"{column} IN ({', '.join('?' for _ in chosen)})" if chosen else "0")
                args.extend(chosen)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        window, window_args = list(where), list(args)
        if after is not None:
            if order not in ("updated", "newest_updated"):
                raise ValueError("keyset paging (after) follows the update-time orders only")
            comparison = ("<" if order == "newest_updated" else ">") + ("=" if include_after else "")
            window.append(f"(updated_at, id) {comparison} (?, ?)")
            window_args.extend(after)
        window_clause = f"WHERE {' AND '.join(window)}" if window else ""
        with self._lock:
            total = self._db.execute(f"SELECT COUNT(*) FROM complaints {clause}", args).fetchone()[0]
            rows = self._db.execute(
                f"SELECT data FROM complaints {window_clause} ORDER BY {_ORDER_BY[order]} LIMIT ? OFFSET ?",
                [*window_args, limit, offset],
            ).fetchall()
        return [SimComplaint.from_json(json.loads(r[0])) for r in rows], total

    def page(self, *, since: str | None, until: str | None = None, offset: int, limit: int, newest_first: bool = False,
             after: tuple[str, int] | None = None, include_after: bool = False) -> tuple[list[SimComplaint], int]:
        """Complaints updated at or after ``since`` (and before ``until``), by (updated_at, id),
        oldest first unless ``newest_first``; with the total that matches the filter."""
        return self.query(since=since, until=until, offset=offset, limit=limit, after=after, include_after=include_after,
                          order="newest_updated" if newest_first else "updated")

    def all(self) -> list[SimComplaint]:
        with self._lock:
            rows = self._db.execute("SELECT data FROM complaints ORDER BY id").fetchall()
        return [SimComplaint.from_json(json.loads(r[0])) for r in rows]

    def ids(self, *, stages: Iterable[str] | None = None) -> list[int]:
        where, args = "", []
        if stages is not None:
            args = list(stages)
            where = f"WHERE stage IN ({', '.join('?' for _ in args)})" if args else "WHERE 0"
        with self._lock:
            return [r[0] for r in self._db.execute(f"SELECT id FROM complaints {where} ORDER BY id", args)]

    # -- idempotent writes ----------------------------------------------
    def remembered(self, key: str) -> tuple[str, int, str] | None:
        with self._lock:
            row = self._db.execute("SELECT fingerprint, status, body FROM idempotency WHERE key = ?", (key,)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def remember(self, key: str, fingerprint: str, status: int, body: str) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR IGNORE INTO idempotency VALUES (?, ?, ?, ?)", (key, fingerprint, status, body))
