"""Connector health, sync runs and rejected records."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from hub.resolvers.sync import ConnectorView, RejectionView
from hub.schema.types.results import NotAllowedError, ValidationError
from hub.store import sync_models
from hub.sync.runs import RunReport

ConnectorHealth = sync_models.ConnectorHealth
strawberry.enum(
    ConnectorHealth,
    description="UNKNOWN (never run), HEALTHY, DEGRADED (recent failures, still retrying on schedule) "
                "or DOWN (failing repeatedly, backed off)")
RunStatus = sync_models.RunStatus
strawberry.enum(
    RunStatus,
    description="RUNNING, SUCCEEDED, FAILED or INTERRUPTED (the process stopped mid-run; the cursor "
                "kept its last page)")
SyncTriggerKind = sync_models.SyncTrigger
strawberry.enum(SyncTriggerKind, name="SyncTrigger",
                description="What started a sync run: SCHEDULE, MANUAL (triggerSync), CLI (`hub sync`) or BENCH "
                            "(a benchmark)")


@strawberry.type(description="One finished or running pull from a regional app")
class SyncRun(relay.Node):
    id: relay.NodeID[int]
    region_code: str = strawberry.field(description="Kemendagri code of the region pulled")
    source_system: str = strawberry.field(description="The regional app pulled, e.g. open311:61.71")
    trigger: SyncTriggerKind = strawberry.field(
        description="What started it: the schedule, triggerSync (MANUAL), `hub sync` (CLI) or a benchmark")
    full: bool = strawberry.field(description="Whether it read everything, rather than changes since the last run")
    status: RunStatus = strawberry.field(description="Running, succeeded, failed or interrupted")
    started_at: datetime = strawberry.field(description="When it started (UTC)")
    finished_at: datetime | None = strawberry.field(description="When it ended (UTC); null while running")
    pages: int = strawberry.field(description="Pages read from the regional app")
    seen: int = strawberry.field(description="Records read")
    created: int = strawberry.field(description="Complaints new to the hub")
    updated: int = strawberry.field(description="Complaints changed")
    unchanged: int = strawberry.field(description="Records the hub already held as they are")
    rejected: int = strawberry.field(description="Records the hub could not map (see rejectedRecords)")
    duration_seconds: float | None = strawberry.field(description="How long it took, in seconds; null while running")
    error: str | None = strawberry.field(description="Why it failed; null otherwise")
    slot: datetime | None = strawberry.field(
        description="The scheduled moment it ran for (UTC): each region's moment runs once, whichever process "
                    "claims it; null for a run not started by the schedule")

    @classmethod
    def of(cls, row: sync_models.SyncRun) -> SyncRun:
        given = {name: getattr(row, name) for name in cls.__annotations__}
        return cls(**{**given, "trigger": sync_models.SyncTrigger(row.trigger)})


@strawberry.type(description="A regional app connected to the hub, and how its sync is doing")
class Connector:
    region_code: str = strawberry.field(description="Kemendagri code of the region")
    region_name: str | None = strawberry.field(
        description="The region's name as its region file gives it; null when the file gives none")
    type: str = strawberry.field(description="The connector kind named in the region file, e.g. open311")
    source_system: str = strawberry.field(description="The hub's name for the regional app, e.g. open311:61.71")
    base_url: str = strawberry.field(description="The regional app's address")
    schedule: str = strawberry.field(description="When the hub pulls from it, in words")
    health: ConnectorHealth = strawberry.field(description="How its recent runs went")
    last_run: SyncRun | None = strawberry.field(description="Its latest run; null when never run")
    last_success_at: datetime | None = strawberry.field(
        description="When a run last succeeded (UTC); null when none has")
    lag_seconds: float | None = strawberry.field(description="Seconds since the hub last caught up with this region")
    high_water: datetime | None = strawberry.field(description="Newest regional update time applied")
    cursor: strawberry.scalars.JSON | None = strawberry.field(description="Where the next pull starts")
    rejected_count: int = strawberry.field(description="Its rejected records not yet resolved")
    consecutive_failures: int = strawberry.field(description="Runs failed in a row")
    backoff_until: datetime | None = strawberry.field(
        description="No scheduled pull before this time (UTC), after repeated failures; null otherwise")
    last_error: str | None = strawberry.field(description="The latest failure's error; null after a success")

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
            cursor=strawberry.scalars.JSON(state.cursor) if state and state.cursor is not None else None,
            rejected_count=view.rejected,
            consecutive_failures=state.consecutive_failures if state else 0,
            backoff_until=state.backoff_until if state else None,
            last_error=state.last_error if state else None,
        )


@strawberry.type(description="A regional record the hub could not map, with the reason and its raw payload")
class RejectedRecord(relay.Node):
    id: relay.NodeID[int]
    region_code: str = strawberry.field(description="Kemendagri code of the region that sent it")
    source_system: str = strawberry.field(description="The regional app that sent it")
    source_id: str | None = strawberry.field(description="The record's id in the regional app; null when it had none")
    reason: str = strawberry.field(
        description="Why it could not be mapped; reporter identity redacted unless you are a national admin")
    raw: strawberry.scalars.JSON = strawberry.field(
        description="The record as the region sent it; reporter identity redacted unless you are a national "
                    "admin")
    first_seen_at: datetime = strawberry.field(description="When the hub first rejected it (UTC)")
    last_seen_at: datetime = strawberry.field(description="When the hub last rejected it (UTC)")
    count: int = strawberry.field(description="How many times it was rejected")
    resolved_at: datetime | None = strawberry.field(
        description="When the same record later mapped cleanly (UTC); null until then")

    @classmethod
    def of(cls, row: RejectionView) -> RejectedRecord:
        given = {name: getattr(row, name) for name in cls.__annotations__}
        return cls(**{**given, "raw": _json_of(row.raw)})


@strawberry.type(description="The outcome of a sync run started on demand")
class TriggerSyncPayload:
    region_code: str = strawberry.field(description="Kemendagri code of the region asked for")
    started: bool = strawberry.field(description="False when another hub process was already syncing the region")
    run: SyncRun | None = strawberry.field(description="The run it started; null when none was started")

    @classmethod
    def of(cls, report: RunReport, run: sync_models.SyncRun | None) -> TriggerSyncPayload:
        return cls(region_code=report.region_code, started=report.status is not None, run=SyncRun.of(run) if run else None)


TriggerSyncResult = Annotated[TriggerSyncPayload | NotAllowedError | ValidationError, strawberry.union("TriggerSyncResult")]


def _json_of(text: str) -> object:
    """A stored JSON text as its value; text that is not JSON (a record the region sent garbled) as a string."""
    try:
        return json.loads(text)
    except ValueError:
        return text
