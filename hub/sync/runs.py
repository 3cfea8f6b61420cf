"""A pull run: fetch pages from one region and apply each in one transaction.

Each page's records, its rejected records, the run's counters and the
region's cursor are written in the same transaction; a run stopped between
two pages (even by a kill) resumes from the last committed cursor, and
re-reading is harmless because applying is idempotent. While a page is
applied the next one is already downloading (a page carries the cursor of
the next), so a backfill runs at the pace of the slower of the two.

At the start of a run the cursor's ``since`` is moved back by the region's
``overlap_seconds`` so that records written late or with a skewed clock are
read again; unchanged ones are skipped by their content digest.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import httpx
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, wait_random

from hub.connectors.base import Connector, load_connector_type
from hub.connectors.http import region_client
from hub.connectors.records import ConnectorError, FatalError, PullPage
from hub.connectors.registry import RegionConfig
from hub.domain.sla import ServiceLevels
from hub.store.database import is_write_conflict
from hub.store.sync_models import ConnectorHealth, RunStatus, SyncRun, SyncState
from hub.store.types import utcnow
from hub.sync.consolidate import Consolidator, PageOutcome
from hub.sync.locks import instance_id, region_lock
from hub.sync.rejections import keep_rejections, resolve_rejections
from hub.sync.retry import with_retries

log = logging.getLogger("hub.sync")

MAX_PAGES_PER_RUN = 100_000
ANALYZE_EVERY = 10_000  # new complaints between planner statistics refreshes (PostgreSQL)
PAGE_ATTEMPTS = 5  # a page whose transaction met another run's (a deadlock) is applied at most this often
DEGRADED_AFTER, DOWN_AFTER = 1, 3
MAX_BACKOFF = timedelta(minutes=30)


@dataclass
class RunReport:
    region_code: str
    status: RunStatus | None  # None: another process holds the region
    run_id: int | None = None
    pages: int = 0
    seen: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    seconds: float = 0.0
    error: str | None = None


ProgressCallback = Callable[[RunReport], None]


def build_connector(region: RegionConfig, client: httpx.AsyncClient) -> Connector:
    return load_connector_type(region.connector)(region, client=client, secrets=region.secrets())


def rewind(cursor: dict[str, Any] | None, overlap_seconds: float) -> dict[str, Any]:
    """The cursor a new run starts from: ``since`` moved back by the overlap, first page."""
    cursor = dict(cursor or {})
    since = cursor.get("since")
    if since:
        cursor["since"] = (datetime.fromisoformat(since) - timedelta(seconds=overlap_seconds)).isoformat()
    cursor["page"] = 1
    return cursor


def backoff_after(failures: int) -> timedelta:
    return min(timedelta(seconds=15 * 2 ** max(0, failures - 1)), MAX_BACKOFF)


async def _state(session: AsyncSession, region: RegionConfig) -> SyncState:
    state = await session.get(SyncState, region.source_system)
    if state is None:
        state = SyncState(source_system=region.source_system, region_code=region.code, health=ConnectorHealth.UNKNOWN,
                          consecutive_failures=0)
        session.add(state)
        await session.flush()
    return state


class PullRun:
    def __init__(
        self,
        engine: AsyncEngine,
        region: RegionConfig,
        *,
        levels: ServiceLevels,
        client: httpx.AsyncClient | None = None,
        trigger: str = "manual",
        full: bool = False,
        progress: ProgressCallback | None = None,
        on_page_committed: Callable[[int], Any] | None = None,
        slot: datetime | None = None,
    ) -> None:
        self.engine = engine
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(engine, expire_on_commit=False)
        self.region = region
        self.levels = levels
        self.client = client
        self.trigger = trigger
        self.full = full
        self.progress = progress
        self.on_page_committed = on_page_committed
        self.slot = slot
        self.consolidator = Consolidator(region_code=region.code, source_system=region.source_system, levels=levels)
        self._created_since_analyze = 0

    async def execute(self) -> RunReport:
        report = RunReport(region_code=self.region.code, status=None)
        async with region_lock(self.engine, f"sync:{self.region.source_system}") as lease:
            if lease is None:
                log.info("region %s is being synced by another process; skipped", self.region.code)
                return report
            owns_client = self.client is None
            client = self.client or region_client(self.region)
            try:
                connector = build_connector(self.region, client)
                self.consolidator.echo = connector.echo_of
                await self._run(connector, report, lease.renew)
            finally:
                if owns_client:
                    await client.aclose()
        return report

    async def _run(self, connector: Connector, report: RunReport, renew: Callable[[], Any]) -> None:
        started = time.perf_counter()
        async with self.sessions() as session, session.begin():
            # We hold the region's lock, so a run still marked RUNNING died with its process.
            await session.execute(
                update(SyncRun)
                .where(SyncRun.source_system == self.region.source_system, SyncRun.status == RunStatus.RUNNING)
                .values(status=RunStatus.INTERRUPTED, error="the process running it stopped", finished_at=utcnow())
            )
            state = await _state(session, self.region)
            state.last_attempt_at = utcnow()
            if state.cursor is None:  # the first run of a region reads everything: say so
                self.full = True
            cursor = {} if self.full else rewind(state.cursor, self.region.overlap_seconds)
            run = SyncRun(region_code=self.region.code, source_system=self.region.source_system, trigger=self.trigger,
                          full=self.full, status=RunStatus.RUNNING, started_at=utcnow(), instance=instance_id(),
                          slot=self.slot, pages=0, seen=0, created=0, updated=0, unchanged=0, rejected=0)
            session.add(run)
            await session.flush()
            report.run_id = run.id
        limit = min(MAX_PAGES_PER_RUN, self.region.max_pages_per_run)
        following: asyncio.Task[PullPage] | None = None  # the next page, downloading while this one is applied
        try:
            for number in range(1, limit + 1):
                page = await (following if following is not None else self._fetch(connector, cursor))
                following = None
                if page.more and number < limit:
                    following = asyncio.create_task(self._fetch(connector, page.next_cursor))
                created_before = report.created
                await self._apply(page, report)
                await self._refresh_planner_statistics(report.created - created_before)
                report.seconds = time.perf_counter() - started
                if self.progress:
                    self.progress(report)
                await renew()
                if self.on_page_committed:
                    await self.on_page_committed(report.pages)
                cursor = page.next_cursor
                if not page.more:
                    break
            else:
                raise FatalError(
                    f"region {self.region.code}: still offered more pages after {report.pages} pages "
                    f"(max_pages_per_run); the app may ignore its paging parameters"
                )
            await self._finish(report, RunStatus.SUCCEEDED, None, started)
        except ConnectorError as exc:
            await self._finish(report, RunStatus.FAILED, str(exc), started)
        except BaseException as exc:  # cancelled or crashed: record and re-raise
            await self._finish(report, RunStatus.FAILED if isinstance(exc, Exception) else RunStatus.INTERRUPTED,
                               f"{type(exc).__name__}: {exc}", started)
            raise
        finally:
            if following is not None:  # the run stopped before it needed the page
                following.cancel()
                await asyncio.gather(following, return_exceptions=True)

    async def _fetch(self, connector: Connector, cursor: dict[str, Any]) -> PullPage:
        return await with_retries(partial(connector.pull, cursor, page_size=self.region.page_size),
                                  attempts=self.region.max_attempts)

    async def _refresh_planner_statistics(self, created: int) -> None:
        """ANALYZE the record's tables now and then during a large backfill (PostgreSQL).

        A backfill into an empty hub grows these tables faster than autovacuum
        re-plans them; with statistics of an empty table PostgreSQL keeps
        choosing sequential scans for the per-page lookups, and every page
        gets slower than the last.
        """
        if self.engine.dialect.name != "postgresql" or created == 0:
            return
        self._created_since_analyze += created
        if self._created_since_analyze < ANALYZE_EVERY:
            return
        self._created_since_analyze = 0
        async with self.engine.connect() as connection:
            await connection.execute(text("ANALYZE complaints, complaint_sources, reporters, timeline_events"))
            await connection.commit()

    async def _apply(self, page: PullPage, report: RunReport) -> None:
        """Apply a page in one transaction; run it again if it met another run's (a deadlock).

        Runs of regions in one province write the same tally and search-word rows, each
        page in its own order, so PostgreSQL may abort one page's transaction to break a
        deadlock; nothing of it was kept, so it runs again (a few times, after a short
        random wait) instead of failing the run and backing the region off.
        """
        before = replace(report)
        async for attempt in AsyncRetrying(stop=stop_after_attempt(PAGE_ATTEMPTS), reraise=True,
                                           retry=retry_if_exception(is_write_conflict),
                                           wait=wait_random(0.05, 0.5), before_sleep=self._log_conflict):
            with attempt:
                vars(report).update(vars(before))  # the counters as they were before this page
                await self._apply_once(page, report)

    def _log_conflict(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.info("region %s: a page met another run's transaction (%s); applying it again (attempt %d)",
                 self.region.code, type(getattr(error, "orig", error)).__name__, state.attempt_number + 1)

    async def _apply_once(self, page: PullPage, report: RunReport) -> None:
        now = utcnow()
        async with self.sessions() as session, session.begin():
            outcome: PageOutcome = await self.consolidator.apply(session, page.records, now=now)
            await keep_rejections(session, region_code=self.region.code, source_system=self.region.source_system,
                                  rejections=page.rejections, now=now)
            await resolve_rejections(session, source_system=self.region.source_system,
                                     source_ids=[r.source_id for r in page.records], now=now)
            state = await _state(session, self.region)
            state.cursor = page.next_cursor
            newest = max((r.updated_at for r in page.records), default=None)
            if newest and (state.high_water is None or newest > state.high_water):
                state.high_water = newest
            run = await session.get(SyncRun, report.run_id)
            assert run is not None
            report.pages += 1
            report.seen += page.seen
            report.created += outcome.created
            report.updated += outcome.updated
            report.unchanged += outcome.unchanged
            report.rejected += len(page.rejections)
            run.pages, run.seen, run.created = report.pages, report.seen, report.created
            run.updated, run.unchanged, run.rejected = report.updated, report.unchanged, report.rejected

    async def _finish(self, report: RunReport, status: RunStatus, error: str | None, started: float) -> None:
        report.status, report.error = status, error
        report.seconds = time.perf_counter() - started
        now = utcnow()
        async with self.sessions() as session, session.begin():
            run = await session.get(SyncRun, report.run_id)
            if run is not None:
                run.status, run.error, run.finished_at = status, error, now
                run.duration_seconds = report.seconds
            state = await _state(session, self.region)
            if status is RunStatus.SUCCEEDED:
                state.health = ConnectorHealth.HEALTHY
                state.consecutive_failures = 0
                state.backoff_until = None
                state.last_success_at = now
                state.last_error = None
            else:
                state.consecutive_failures += 1
                state.health = ConnectorHealth.DOWN if state.consecutive_failures >= DOWN_AFTER else ConnectorHealth.DEGRADED
                state.backoff_until = now + backoff_after(state.consecutive_failures)
                state.last_error = error
        if status is not RunStatus.SUCCEEDED:
            log.warning("sync of region %s %s: %s", self.region.code, status.value.lower(), error)


async def due_for_full_resync(engine: AsyncEngine, region: RegionConfig, *, now: datetime | None = None) -> bool:
    """Whether the region's periodic full re-read is due (the scheduler asks before each run).

    Incremental runs never see a record again unless the region changes it, so
    a record rejected for a fault the region has since repaired, or written
    with a clock further off than the overlap, is only caught by a full
    re-read; this happens every ``full_resync_hours`` after the last full run
    that succeeded, and at once when none ever did (the first run is full).
    """
    if region.full_resync_hours is None:
        return False
    async with engine.connect() as connection:
        last = (
            await connection.execute(
                select(func.max(SyncRun.started_at)).where(
                    SyncRun.source_system == region.source_system, SyncRun.full.is_(True),
                    SyncRun.status == RunStatus.SUCCEEDED,
                )
            )
        ).scalar_one_or_none()
    if last is None:
        return True
    return (now or datetime.now(UTC)) - last > timedelta(hours=region.full_resync_hours)


async def is_backed_off(engine: AsyncEngine, region: RegionConfig) -> bool:
    async with engine.connect() as connection:
        until = (
            await connection.execute(
                select(SyncState.backoff_until).where(SyncState.source_system == region.source_system)
            )
        ).scalar_one_or_none()
    return until is not None and until > datetime.now(UTC)
