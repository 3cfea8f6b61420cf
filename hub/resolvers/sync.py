"""Connector health, sync runs, rejected records and on-demand syncs, for staff.

National admins see every region; a region admin sees the regions in their
token; nobody else sees sync internals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub.connectors.registry import RegionConfig
from hub.domain.access import sees_raw_identity, sees_region
from hub.domain.redaction import redact_raw, redact_text
from hub.domain.vocabulary import Role
from hub.resolvers.context import Context
from hub.resolvers.errors import NotAllowed
from hub.resolvers.failures import Invalid, Refused
from hub.resolvers.paging import read_page
from hub.store import sync_queries
from hub.store.keyset import KeysetPage, PageRequest
from hub.store.sync_models import ConnectorHealth, RejectedRecord, SyncRun, SyncState, SyncTrigger
from hub.sync.runs import RunReport


def require_admin(ctx: Context) -> None:
    """Sync internals are for national and region admins; which regions is :func:`sees_region`'s business."""
    if ctx.viewer.role not in (Role.NATIONAL_ADMIN, Role.REGION_ADMIN):
        raise NotAllowed("only national and region admins may see sync state")


def _registered(ctx: Context) -> list[RegionConfig]:
    return list(ctx.sync.registry.regions) if ctx.sync is not None else []


@dataclass
class ConnectorView:
    region: RegionConfig
    state: SyncState | None
    last_run: SyncRun | None
    rejected: int
    now: datetime

    @property
    def health(self) -> ConnectorHealth:
        return self.state.health if self.state else ConnectorHealth.UNKNOWN

    @property
    def lag_seconds(self) -> float | None:
        """Seconds since the hub last finished reading everything this region had."""
        if self.state is None or self.state.last_success_at is None:
            return None
        return max(0.0, (self.now - self.state.last_success_at).total_seconds())


async def connectors(ctx: Context) -> list[ConnectorView]:
    require_admin(ctx)
    regions = [r for r in _registered(ctx) if sees_region(ctx.viewer, r.code)]
    if not regions:
        return []
    systems = [r.source_system for r in regions]
    states = await ctx.read(sync_queries.sync_states)
    runs = await ctx.read(sync_queries.latest_runs, systems)
    rejected = await ctx.read(sync_queries.open_rejection_counts)
    return [
        ConnectorView(region=r, state=states.get(r.source_system), last_run=runs.get(r.source_system),
                      rejected=rejected.get(r.source_system, 0), now=ctx.now)
        for r in regions
    ]


def _check_scope(ctx: Context, region_code: str | None) -> None:
    require_admin(ctx)
    if region_code is not None and not sees_region(ctx.viewer, region_code):
        raise NotAllowed(f"you may not see sync data of region {region_code}")


async def runs(ctx: Context, *, region_code: str | None, page: PageRequest) -> KeysetPage[SyncRun]:
    _check_scope(ctx, region_code)
    return await read_page(ctx, sync_queries.list_runs, ctx.viewer, region_code=region_code, page=page)


@dataclass(frozen=True)
class RejectionView:
    """A rejected record as the caller may read it: raw payload and reason redacted of the reporter's identity
    for everyone but a national admin."""

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


def _reporter_paths(ctx: Context, source_system: str) -> list[str]:
    """Where the region's mapping reads the reporter from, so those fields are redacted however they are named."""
    for region in _registered(ctx):
        if region.source_system == source_system:
            f = region.mapping.fields
            return [p for p in (f.reporter_name, f.reporter_phone, f.reporter_email) if p]
    return []


def shown(ctx: Context, row: RejectedRecord) -> RejectionView:
    raw, reason = row.raw, row.reason
    if not sees_raw_identity(ctx.viewer):
        raw = redact_raw(raw, paths=_reporter_paths(ctx, row.source_system))
        reason = redact_text(reason)
    return RejectionView(id=row.id, region_code=row.region_code, source_system=row.source_system,
                         source_id=row.source_id, reason=reason, raw=raw, first_seen_at=row.first_seen_at,
                         last_seen_at=row.last_seen_at, count=row.count, resolved_at=row.resolved_at)


async def rejections(ctx: Context, *, region_code: str | None, include_resolved: bool,
                     page: PageRequest) -> KeysetPage[RejectionView]:
    _check_scope(ctx, region_code)
    found = await read_page(ctx, sync_queries.list_rejections, ctx.viewer, region_code=region_code,
                            include_resolved=include_resolved, page=page)
    return found.shown_as(lambda row: shown(ctx, row))


TRIGGERERS = ("a national admin", "an admin of the region")


async def trigger(ctx: Context, region_code: str, *, full: bool = False) -> tuple[RunReport, SyncRun | None]:
    """Pull a region now; ``full`` re-reads everything instead of what changed since the cursor.

    Returns the run's report and the run as stored (None when another process was already syncing)."""
    if not sees_region(ctx.viewer, region_code):
        raise Refused(f"only a national admin or an admin of region {region_code} may trigger its sync", TRIGGERERS)
    if ctx.sync is None or region_code not in ctx.sync.registry.by_code():
        raise Invalid(f"region {region_code} is not connected to this hub (see HUB_REGIONS_FILE)", "regionCode")
    report = await ctx.sync.run_now(region_code, trigger=SyncTrigger.MANUAL, full=full)
    return report, await run_of(ctx, report)


async def run_of(ctx: Context, report: RunReport) -> SyncRun | None:
    """The run a trigger reports, read afresh: it was written on the scheduler's own session."""
    if report.run_id is None:
        return None
    async with ctx.write() as session:
        return await session.get(SyncRun, report.run_id)
