"""The dispatcher: delivers outbox rows through each region's connector or a notification channel.

Guarantees, and how:

- **at least once**: a row stays PENDING until the connector confirms it;
  a crash between delivery and the commit re-sends it later;
- **applied once**: every row carries its own idempotency key, sent with each
  attempt, so the region recognises a repeat;
- **in order per complaint and target**: a row is only attempted when no
  earlier row of the same complaint for the same target (``source_system``) is
  PENDING or DEAD (``deliverable``), so a follow-up never overtakes the
  submission it belongs to, and a dead webhook never holds back the region;
- **one deliverer per region**: the per-region lock (:mod:`hub.sync.locks`,
  an advisory lock on PostgreSQL) is held while a region's rows are sent, so
  two hub processes never send the same row concurrently;
- **bounded retries**: a failure waits ``min(base * 2^(attempts-1), cap)``
  seconds with jitter; after ``max_attempts`` the row is DEAD with its last
  error until an admin calls ``retryPush``. A fatal answer (a 4xx, a change
  the app cannot take) is DEAD at once: retrying would not help.

A region whose connector accepts no writes (the CSV export) never reaches
the dispatcher: its rows are written as MANUAL work for its admin.

Notifications take the same road: each round first fans the waiting notices
out into rows (:mod:`hub.sync.notify`), then delivers every due target, a
region through its connector and ``email``, ``sms`` and ``webhook:<id>``
through the :class:`~hub.sync.notify.Notifier`. Every attempt is kept
(``outbox_attempts``) with what came back.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hub.connectors.base import Delivery, PushNotSupported, PushResult, load_connector_type
from hub.connectors.records import ConnectorError, FatalError
from hub.connectors.registry import RegionConfig, Registry
from hub.domain.changes import ChangeFormatError, from_payload
from hub.domain.redaction import in_region_words
from hub.store.lifecycle_writes import record_regional_id, regional_id
from hub.store.models import Complaint
from hub.store.notify_models import OutboxAttempt
from hub.store.outbox_models import OutboxRow, OutboxStatus
from hub.store.outbox_writes import PushTarget, deliverable, due_systems
from hub.store.transfers import leave_copies
from hub.store.types import utcnow
from hub.sync.locks import region_lock
from hub.sync.notify import Notifier
from hub.sync.runs import build_connector

log = logging.getLogger("hub.sync.outbox")

Send = Callable[[OutboxRow], Awaitable[PushResult]]  # delivers one row or raises as a connector does


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 10
    base_seconds: float = 5.0
    cap_seconds: float = 900.0
    jitter: float = 0.25  # +/- this fraction of the delay

    def delay(self, attempts: int) -> timedelta:
        seconds = min(self.base_seconds * 2 ** max(0, attempts - 1), self.cap_seconds)
        seconds *= 1 + random.uniform(-self.jitter, self.jitter)
        return timedelta(seconds=max(0.0, seconds))


@dataclass
class DispatchReport:
    delivered: int = 0
    failed: int = 0
    dead: int = 0
    manual: int = 0
    skipped_regions: list[str] = field(default_factory=list)  # locked by another process
    notices: int = 0  # notices fanned out into rows this round


def push_target(registry: Registry | None, region_code: str) -> PushTarget | None:
    """The connected app that handles ``region_code`` (its own entry, else its province's)."""
    if registry is None:
        return None
    regions = registry.by_code()
    region = regions.get(region_code) or regions.get(region_code.split(".")[0])
    if region is None or not region.enabled:
        return None
    try:
        accepts = load_connector_type(region.connector).accepts_writes
    except FatalError:
        accepts = False
    return PushTarget(region_code=region.code, source_system=region.source_system, accepts_writes=accepts)


class Dispatcher:
    def __init__(
        self, engine: AsyncEngine, registry: Registry, *, policy: RetryPolicy | None = None,
        client: httpx.AsyncClient | None = None, batch: int = 200, notifier: Notifier | None = None,
    ) -> None:
        self.engine = engine
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(engine, expire_on_commit=False)
        self.registry = registry
        self.policy = policy or RetryPolicy()
        self.client = client
        self.batch = batch
        self.notifier = notifier
        self._running: asyncio.Task[DispatchReport] | None = None
        self._again = False

    def kick(self) -> None:
        """Deliver soon, in the background (after a mutation wrote rows)."""
        if self._running is not None and not self._running.done():
            self._again = True
            return
        self._running = asyncio.create_task(self._kicked())

    async def _kicked(self) -> DispatchReport:
        report = DispatchReport()
        while True:
            self._again = False
            try:
                report = await self.run_once()
            except Exception:  # the scheduled run will try again
                log.exception("push dispatch failed")
            if not self._again:
                return report

    async def settled(self) -> None:
        """Wait until a round started by :meth:`kick` (and any it asked for) has finished."""
        while self._running is not None and not self._running.done():
            await asyncio.gather(self._running, return_exceptions=True)

    async def close(self) -> None:
        if self._running is not None:
            self._running.cancel()
            await asyncio.gather(self._running, return_exceptions=True)
        if self.notifier is not None:
            await self.notifier.close()

    async def run_once(self, now: datetime | None = None) -> DispatchReport:
        """Fan notices out, then deliver every row that is due now, target by target."""
        report = DispatchReport()
        if self.notifier is not None:
            try:
                report.notices = (await self.notifier.fan_out(self.sessions, now=now or utcnow())).notices
            except Exception:  # notices wait for the next round; pushes to regions go on meanwhile
                log.exception("fanning out notices failed")
        async with self.sessions() as session:
            systems = await due_systems(session, now or utcnow())
        regions = {r.source_system: r for r in self.registry.regions}
        for system in systems:
            region = regions.get(system)
            notifier = self.notifier if self.notifier is not None and self.notifier.handles(system) else None
            if region is None and notifier is None:
                continue  # rows of a region (or channel) no longer configured wait until it is again
            async with region_lock(self.engine, f"push:{system}") as lease:
                if lease is None:
                    report.skipped_regions.append(region.code if region is not None else system)
                    continue
                if region is not None:
                    await self._region(region, report, now)
                elif notifier is not None:
                    await self._drain(system, partial(notifier.deliver, self.sessions), report, now)
        return report

    async def _region(self, region: RegionConfig, report: DispatchReport, now: datetime | None) -> None:
        owns = self.client is None
        client = self.client or httpx.AsyncClient(timeout=httpx.Timeout(region.timeout_seconds))
        try:
            connector = build_connector(region, client)

            async def send(row: OutboxRow) -> PushResult:
                async with self.sessions() as session:
                    source_id = await regional_id(session, row.complaint_id, row.source_system)
                change = in_region_words(from_payload(row.kind, row.payload), region.hidden_reporter)
                return await connector.push(Delivery(change=change, idempotency_key=row.idempotency_key,
                                                     source_id=source_id))

            await self._drain(region.source_system, send, report, now)
        finally:
            if owns:
                await client.aclose()

    async def _left_behind(self, session: AsyncSession, row: OutboxRow, *, now: datetime) -> None:
        """A submission that reached a region after the complaint moved elsewhere is a copy left behind."""
        complaint = await session.get(Complaint, row.complaint_id)
        target = push_target(self.registry, complaint.region_code) if complaint is not None else None
        if complaint is not None and (target is None or target.source_system != row.source_system):
            await leave_copies(session, row.complaint_id, row.source_system, now=now)

    async def _drain(self, system: str, send: Send, report: DispatchReport, now: datetime | None) -> None:
        """Deliver the due rows of one target, one at a time, up to a batch."""
        for _ in range(self.batch):
            async with self.sessions() as session:
                row = await session.scalar(deliverable(now or utcnow(), source_system=system).limit(1))
            if row is None:
                return
            await self._deliver(send, row, report, now)

    async def _deliver(self, send: Send, row: OutboxRow, report: DispatchReport, now: datetime | None) -> None:
        error: str | None = None
        fatal = manual = False
        result = None
        started = time.perf_counter()
        try:
            result = await send(row)
        except ChangeFormatError as exc:
            error, fatal = f"the stored change cannot be read: {exc}", True
        except PushNotSupported as exc:
            error, manual = str(exc), True
        except FatalError as exc:
            error, fatal = str(exc), True
        except ConnectorError as exc:
            error = str(exc)
        except Exception as exc:  # an unexpected failure is retried like a transient one, and logged
            log.exception("push of outbox row %s failed", row.id)
            error = f"{type(exc).__name__}: {exc}"
        moment = now or utcnow()
        elapsed = (time.perf_counter() - started) * 1000
        async with self.sessions() as session, session.begin():
            current = await session.get(OutboxRow, row.id, with_for_update=session.get_bind().dialect.name == "postgresql")
            if current is None or current.status is not OutboxStatus.PENDING:
                return
            current.attempts += 1
            session.add(OutboxAttempt(outbox_id=current.id, attempted_at=moment, succeeded=error is None,
                                      detail=error if error is not None else (result.detail if result else None),
                                      duration_ms=elapsed))
            if error is None:
                current.status, current.delivered_at, current.last_error = OutboxStatus.DELIVERED, moment, None
                current.regional_event_id = result.event_id if result is not None else None
                if result is not None and result.source_id:
                    await record_regional_id(session, current.complaint_id, current.source_system, result.source_id,
                                             now=moment)
                    await self._left_behind(session, current, now=moment)
                report.delivered += 1
                return
            current.last_error = error
            if manual:
                current.status = OutboxStatus.MANUAL
                report.manual += 1
            elif fatal or current.attempts >= self.policy.max_attempts:
                current.status = OutboxStatus.DEAD
                report.dead += 1
                log.warning("push %s to %s is dead after %d attempt(s): %s", current.idempotency_key,
                            current.source_system, current.attempts, error)
            else:
                current.next_attempt_at = moment + self.policy.delay(current.attempts)
                report.failed += 1
