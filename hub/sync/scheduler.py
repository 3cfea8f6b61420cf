"""The scheduler: one APScheduler job per connected region, built visibly at start-up.

Each region's job runs on the region's own schedule with ``max_instances=1``
and ``coalesce``, so a slow or failing region never delays another. A job
skips while its region is backed off after failures; across processes the
per-region lock decides who runs (:mod:`hub.sync.locks`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.connectors.registry import RegionConfig, Registry
from hub.domain.sla import ServiceLevels
from hub.sync.runs import PullRun, RunReport, due_for_full_resync, is_backed_off

log = logging.getLogger("hub.sync.scheduler")

RunListener = Callable[[RunReport], Awaitable[None]]


class SyncScheduler:
    def __init__(
        self, engine: AsyncEngine, registry: Registry, *, levels: ServiceLevels, listeners: list[RunListener] | None = None
    ) -> None:
        self.engine = engine
        self.registry = registry
        self.levels = levels
        self.listeners = listeners or []
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self._running: dict[str, asyncio.Task[RunReport]] = {}
        self._stopping = False

    def start(self) -> None:
        for region in self.registry.regions:
            if not region.enabled:
                log.info("region %s is disabled in the region file; not scheduled", region.code)
                continue
            trigger: Any = (
                IntervalTrigger(seconds=region.schedule.interval_seconds)
                if region.schedule.interval_seconds
                else CronTrigger.from_crontab(region.schedule.cron, timezone="UTC")
            )
            self.scheduler.add_job(
                self._scheduled, trigger, args=[region], id=f"sync:{region.code}",
                max_instances=1, coalesce=True, misfire_grace_time=30, next_run_time=None,
            )
            log.info("scheduled sync of region %s (%s) %s", region.code, region.connector, region.schedule.describe())
        self.scheduler.start()
        for job in self.scheduler.get_jobs():  # first runs right away
            job.modify(next_run_time=_now())

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

    async def _scheduled(self, region: RegionConfig) -> None:
        if await is_backed_off(self.engine, region):
            log.info("region %s is backed off after failures; skipping this run", region.code)
            return
        try:
            await self.run_now(region.code, trigger="schedule", full=await due_for_full_resync(self.engine, region))
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            log.info("sync of region %s stopped by shutdown", region.code)

    async def run_now(self, region_code: str, *, trigger: str = "manual", full: bool = False) -> RunReport:
        """Run one region now (or join the run already under way in this process)."""
        region = self.registry.by_code()[region_code]
        task = self._running.get(region_code)
        if task is None or task.done():
            task = asyncio.create_task(self._run(region, trigger=trigger, full=full))
            self._running[region_code] = task
        return await asyncio.shield(task)

    async def _run(self, region: RegionConfig, *, trigger: str, full: bool) -> RunReport:
        report = await PullRun(self.engine, region, levels=self.levels, trigger=trigger, full=full).execute()
        for listener in self.listeners:
            try:
                await listener(report)
            except Exception:  # a listener must never break the sync
                log.exception("sync listener failed")
        return report


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)
