"""The scheduler: one APScheduler job per connected region, built visibly at start-up.

Each region's job runs on the region's own schedule with ``max_instances=1``
and ``coalesce``, so a slow or failing region never delays another. A job
skips while its region is backed off after failures; across processes the
per-region lock decides who runs (:mod:`hub.sync.locks`).

Keeping up with hundreds of regions:

- **Spread, not herded.** A region on an interval runs on a grid anchored at
  a fixed instant plus a stable per-region phase (a hash of its code, a
  fraction of the interval): runs are spread evenly over the interval instead
  of all at :00, and every process computes the same grid, so two workers
  reach for the same region at the same moment and its lock lets one run.
  The first run after start-up comes at the region's slot, but no later than
  the same fraction of :data:`FIRST_RUN_SPREAD` seconds.
- **Once per slot.** A process first waits for a free place (``concurrency``),
  then claims the slot (the grid moment it fired for) in the store
  (:func:`hub.sync.locks.claim_slot`); a claim fails once another worker
  claimed that slot or a later one, so each region runs once per interval
  however many workers there are, and a run that waited past its next slot
  is dropped. A busy worker claims nothing, so an idle one takes the slot; a
  short random pause before the claim (:func:`claim_pause`) lets idle
  workers share the slots. A worker that dies after claiming costs that slot
  only.
- **Connections reused.** Each region keeps one HTTP client (a small
  keep-alive pool) across its runs, so a run on a one-minute interval does
  not pay a new TCP and TLS handshake each time; all of them share one TLS
  context (:mod:`hub.connectors.http`).
- **Bounded.** At most ``concurrency`` scheduled pull runs at once in one
  process (``HUB_SYNC_CONCURRENCY``); the others wait their turn, so a burst
  never opens hundreds of connections at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.connectors.http import region_client
from hub.connectors.registry import RegionConfig, Registry
from hub.domain.sla import ServiceLevels
from hub.store.sync_models import SyncTrigger
from hub.sync.locks import claim_slot
from hub.sync.runs import PullRun, RunReport, due_for_full_resync, is_backed_off

log = logging.getLogger("hub.sync.scheduler")

RunListener = Callable[[RunReport], Awaitable[None]]

GRID_ANCHOR = datetime(2025, 1, 1, tzinfo=UTC)
FIRST_RUN_SPREAD = 60.0  # seconds over which the first runs after start-up are spread


def phase(region_code: str) -> float:
    """A stable fraction in [0, 1) for the region: where in each interval it runs."""
    return int.from_bytes(hashlib.sha256(region_code.encode()).digest()[:8], "big") / 2**64


class GridTrigger(IntervalTrigger):
    """An interval trigger that always comes back to its grid.

    APScheduler's interval trigger adds the interval to the previous fire time, so
    a first run moved off the grid (the start-up spread) would shift every later
    run by the same amount, differently in each process: the process started
    first would then reach every slot first and win it. This one fires at the
    first grid moment after the previous fire time.
    """

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        if previous_fire_time is None:
            return super().get_next_fire_time(None, now)
        return super().get_next_fire_time(None, previous_fire_time + timedelta(microseconds=1))


def interval_trigger(region_code: str, seconds: float) -> IntervalTrigger:
    """Every ``seconds`` on the region's own grid, the same in every process."""
    return GridTrigger(seconds=seconds, start_date=GRID_ANCHOR + timedelta(seconds=phase(region_code) * seconds),
                       timezone="UTC")


class SyncScheduler:
    def __init__(
        self, engine: AsyncEngine, registry: Registry, *, levels: ServiceLevels, listeners: list[RunListener] | None = None,
        concurrency: int = 16,
    ) -> None:
        self.engine = engine
        self.registry = registry
        self.levels = levels
        self.listeners = listeners or []
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self._running: dict[str, asyncio.Task[RunReport]] = {}
        self._stopping = False
        self.concurrency = concurrency
        self._slots: asyncio.Semaphore | None = None
        self._clients: dict[str, httpx.AsyncClient] = {}

    def start(self) -> None:
        for region in self.registry.regions:
            if not region.enabled:
                log.info("region %s is disabled in the region file; not scheduled", region.code)
                continue
            trigger: Any = (
                interval_trigger(region.code, region.schedule.interval_seconds)
                if region.schedule.interval_seconds
                else CronTrigger.from_crontab(region.schedule.cron, timezone="UTC")
            )
            self.scheduler.add_job(
                self._scheduled, trigger, args=[region], id=f"sync:{region.code}",
                max_instances=1, coalesce=True, misfire_grace_time=30, next_run_time=None,
            )
            log.info("scheduled sync of region %s (%s) %s", region.code, region.connector, region.schedule.describe())
        self.scheduler.start()
        now = _now()
        for job in self.scheduler.get_jobs():  # first runs spread over the first minute at most
            region = job.args[0]
            soonest = now + timedelta(seconds=phase(region.code) * min(FIRST_RUN_SPREAD, _seconds(region)))
            slot = job.trigger.get_next_fire_time(None, now)
            job.modify(next_run_time=min(soonest, slot) if slot is not None else soonest)

    def every(self, seconds: float, job: Callable[[], Awaitable[Any]], *, job_id: str) -> None:
        """Run ``job`` every ``seconds`` (the push dispatcher, the deadline job), one at a time."""
        self.scheduler.add_job(job, IntervalTrigger(seconds=seconds), id=job_id, max_instances=1, coalesce=True,
                               misfire_grace_time=30, replace_existing=True)
        log.info("scheduled %s every %gs", job_id, seconds)

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running)

    async def shutdown(self) -> None:
        self._stopping = True
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for task in list(self._running.values()):
            task.cancel()
        await asyncio.gather(*self._running.values(), return_exceptions=True)
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()

    def client_for(self, region: RegionConfig) -> httpx.AsyncClient:
        """The region's own HTTP client, kept between runs (connection reuse)."""
        client = self._clients.get(region.code)
        if client is None or client.is_closed:
            keep = min(max(region.schedule.interval_seconds or 60, 5) * 1.5, 120)
            client = region_client(region, limits=httpx.Limits(max_connections=4, keepalive_expiry=keep))
            self._clients[region.code] = client
        return client

    async def _scheduled(self, region: RegionConfig) -> None:
        if await is_backed_off(self.engine, region):
            log.info("region %s is backed off after failures; skipping this run", region.code)
            return
        name, slot = f"slot:{region.source_system}", slot_of(region, _now())
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.concurrency)
        try:
            async with self._slots:  # a busy process claims nothing: an idle one takes the slot
                await asyncio.sleep(random.uniform(0, claim_pause(region)))
                if not await claim_slot(self.engine, name, slot):
                    log.info("region %s: this slot (or a later one) was taken by another process; skipped", region.code)
                    return
                await self.run_now(region.code, trigger=SyncTrigger.SCHEDULE,
                                   full=await due_for_full_resync(self.engine, region), slot=slot)
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            log.info("sync of region %s stopped by shutdown", region.code)

    async def run_now(
        self, region_code: str, *, trigger: str = "manual", full: bool = False, slot: datetime | None = None,
    ) -> RunReport:
        """Run one region now (or join the run already under way in this process)."""
        region = self.registry.by_code()[region_code]
        task = self._running.get(region_code)
        if task is None or task.done():
            task = asyncio.create_task(self._run(region, trigger=trigger, full=full, slot=slot))
            self._running[region_code] = task
        return await asyncio.shield(task)

    async def _run(self, region: RegionConfig, *, trigger: str, full: bool, slot: datetime | None) -> RunReport:
        report = await PullRun(self.engine, region, levels=self.levels, trigger=trigger, full=full,
                               client=self.client_for(region), slot=slot).execute()
        for listener in self.listeners:
            try:
                await listener(report)
            except Exception:  # a listener must never break the sync
                log.exception("sync listener failed")
        return report


def slot_of(region: RegionConfig, now: datetime) -> datetime:
    """The grid moment a scheduled run at ``now`` belongs to (the nearest one)."""
    seconds = region.schedule.interval_seconds
    if not seconds:  # cron: minutes
        return (now + timedelta(seconds=30)).replace(second=0, microsecond=0)
    start = GRID_ANCHOR + timedelta(seconds=phase(region.code) * seconds)
    steps = round((now - start).total_seconds() / seconds)
    return start + timedelta(seconds=steps * seconds)


def claim_pause(region: RegionConfig) -> float:
    """The most a process waits, at random, before claiming a slot: 5 % of the interval, at most
    one second. Idle workers reach a slot at the same moment; without the pause the one whose
    clock or loop runs a little ahead would win every slot and the others would never run."""
    return min(_seconds(region) * 0.05, 1.0)


def _seconds(region: RegionConfig) -> float:
    return float(region.schedule.interval_seconds or FIRST_RUN_SPREAD)


def _now() -> datetime:
    return datetime.now(UTC)
