"""What the sync engine keeps: per-region state and cursor, runs, rejected
records, locks for SQLite, and likely duplicates awaiting a national admin."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.store.models import Base, Id, enum_column
from hub.store.types import utcnow


class ConnectorHealth(enum.StrEnum):
    UNKNOWN = "UNKNOWN"  # never run
    HEALTHY = "HEALTHY"
    DEGRADED = "DEGRADED"  # recent failures, still retrying on schedule
    DOWN = "DOWN"  # failing repeatedly, backed off


class RunStatus(enum.StrEnum):
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    INTERRUPTED = "INTERRUPTED"  # the process stopped mid-run; the cursor kept its last page


class SyncTrigger(enum.StrEnum):
    """What started a sync run (stored as its lowercase value)."""

    SCHEDULE = "schedule"  # the scheduler, on the region's schedule
    MANUAL = "manual"  # triggerSync
    CLI = "cli"  # `hub sync`
    BENCH = "bench"  # a benchmark script


class SyncState(Base):
    """One row per connected source system: where its pull has got to and how it is doing."""

    __tablename__ = "sync_states"

    source_system: Mapped[str] = mapped_column(String(80), primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    cursor: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    high_water: Mapped[datetime | None]  # newest source update time applied
    health: Mapped[ConnectorHealth] = mapped_column(enum_column(ConnectorHealth), default=ConnectorHealth.UNKNOWN)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    backoff_until: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class SyncRun(Base):
    __tablename__ = "sync_runs"
    __table_args__ = (
        Index("ix_sync_runs_region_started", "region_code", "started_at"),
        # a run's own lookups: its region's RUNNING runs, its last full run that succeeded
        Index("ix_sync_runs_source_status", "source_system", "status", "full", "started_at"),
        # a scheduled moment of a region is run once, whichever process claims it
        Index("ux_sync_runs_source_slot", "source_system", "slot", unique=True),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    source_system: Mapped[str] = mapped_column(String(80))
    trigger: Mapped[str] = mapped_column(String(20))  # a SyncTrigger
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus), default=RunStatus.RUNNING)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    pages: Mapped[int] = mapped_column(Integer, default=0)
    seen: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)
    instance: Mapped[str | None] = mapped_column(String(120))
    slot: Mapped[datetime | None]  # the scheduled moment it ran for; null for a manual run


class RejectedRecord(Base):
    """A regional record the hub could not map, kept with its raw payload and the reason."""

    __tablename__ = "rejected_records"
    __table_args__ = (UniqueConstraint("source_system", "record_key"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    source_system: Mapped[str] = mapped_column(String(80))
    record_key: Mapped[str] = mapped_column(String(160))  # source id, or a digest of the payload
    source_id: Mapped[str | None] = mapped_column(String(120))
    raw: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    count: Mapped[int] = mapped_column(Integer, default=1)
    resolved_at: Mapped[datetime | None]  # set when the same record later mapped cleanly


class SyncLock(Base):
    """A lease on a name, for databases without advisory locks (SQLite)."""

    __tablename__ = "sync_locks"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    holder: Mapped[str] = mapped_column(String(160))
    expires_at: Mapped[datetime]


class DuplicateFlag(Base):
    """Two complaints that look like one filed twice; a national admin decides."""

    __tablename__ = "duplicate_flags"
    __table_args__ = (UniqueConstraint("complaint_id", "duplicate_of_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    duplicate_of_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    reason: Mapped[str] = mapped_column(Text)
    similarity: Mapped[float] = mapped_column(Float)
    flagged_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(String(16))  # MERGED or DISMISSED, once settled
    resolved_by: Mapped[str | None] = mapped_column(String(200))
