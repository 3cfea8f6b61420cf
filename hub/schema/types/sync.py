"""Connector health, sync runs and rejected records."""

from __future__ import annotations

import json
from datetime import datetime

import strawberry

from hub.resolvers.sync import ConnectorView, RejectionView
from hub.store import sync_models
from hub.sync.runs import RunReport

ConnectorHealth = strawberry.enum(sync_models.ConnectorHealth)
RunStatus = strawberry.enum(sync_models.RunStatus)


@strawberry.type(description="One finished or running pull from a regional app")
class SyncRun:
    id: int
    region_code: str
    source_system: str
    trigger: str
    full: bool
    status: RunStatus
    started_at: datetime
    finished_at: datetime | None
    pages: int
    seen: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    duration_seconds: float | None
    error: str | None

    @classmethod
    def of(cls, row: sync_models.SyncRun) -> SyncRun:
        return cls(**{name: getattr(row, name) for name in cls.__annotations__})


@strawberry.type(description="A regional app connected to the hub, and how its sync is doing")
class Connector:
    region_code: str
    region_name: str | None
    type: str
    source_system: str
    base_url: str
    schedule: str
    health: ConnectorHealth
    last_run: SyncRun | None
    last_success_at: datetime | None
    lag_seconds: float | None = strawberry.field(description="Seconds since the hub last caught up with this region")
    high_water: datetime | None = strawberry.field(description="Newest regional update time applied")
    cursor: str | None = strawberry.field(description="Where the next pull starts (JSON)")
    rejected_count: int
    consecutive_failures: int
    backoff_until: datetime | None
    last_error: str | None

    @classmethod
    def of(cls, view: ConnectorView) -> Connector:
        state, region = view.state, view.region
        return cls(
            region_code=region.code,
            region_name=region.name,
            type=region.connector,
            source_system=region.source_system,
            base_url=region.base_url,
            schedule=region.schedule.describe(),
            health=view.health,
            last_run=SyncRun.of(view.last_run) if view.last_run else None,
            last_success_at=state.last_success_at if state else None,
            lag_seconds=view.lag_seconds,
            high_water=state.high_water if state else None,
            cursor=json.dumps(state.cursor) if state and state.cursor is not None else None,
            rejected_count=view.rejected,
            consecutive_failures=state.consecutive_failures if state else 0,
            backoff_until=state.backoff_until if state else None,
            last_error=state.last_error if state else None,
        )


@strawberry.type(description="A regional record the hub could not map, with the reason and its raw payload")
class RejectedRecord:
    id: int
    region_code: str
    source_system: str
    source_id: str | None
    reason: str
    raw: str
    first_seen_at: datetime
    last_seen_at: datetime
    count: int
    resolved_at: datetime | None

    @classmethod
    def of(cls, row: RejectionView) -> RejectedRecord:
        return cls(**{name: getattr(row, name) for name in cls.__annotations__})


@strawberry.type(description="The outcome of a sync run started on demand")
class TriggeredSync:
    region_code: str
    started: bool = strawberry.field(description="False when another hub process was already syncing the region")
    run: SyncRun | None

    @classmethod
    def of(cls, report: RunReport, run: sync_models.SyncRun | None) -> TriggeredSync:
        return cls(region_code=report.region_code, started=report.status is not None, run=SyncRun.of(run) if run else None)
