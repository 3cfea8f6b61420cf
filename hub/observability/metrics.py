"""Prometheus metrics of one hub process, on a registry of its own.

Counters move as things happen in this process: sync runs finishing (a
:class:`~hub.sync.scheduler.SyncScheduler` listener, so ``hub.sync`` never
imports this module) and GraphQL operations (a strawberry extension, labelled
by operation name when it is a known one: a trusted document's, or listed in
``HUB_METRICS_OPERATIONS``; ``anonymous`` when unnamed, ``other`` otherwise). Gauges that describe shared
state (sync lag per region, outbox depth per status) are read from the store
when ``/metrics`` is scraped.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import func, inspect, select
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.extensions import SchemaExtension

from hub.store.outbox_models import OutboxRow
from hub.store.sync_models import SyncState
from hub.sync.runs import RunReport

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


MAX_LABEL_LENGTH = 64


class HubMetrics:
    def __init__(self, *, known_operations: frozenset[str] = frozenset()) -> None:
        self.known_operations = frozenset(n for n in known_operations if len(n) <= MAX_LABEL_LENGTH)
        self.registry = CollectorRegistry()
        r = self.registry
        self.sync_runs = Counter("hub_sync_runs", "Sync runs finished, by region and outcome",
                                 ["region", "status"], registry=r)
        self.records_applied = Counter("hub_sync_records_applied", "Regional records created or updated",
                                       ["region"], registry=r)
        self.records_rejected = Counter("hub_sync_records_rejected", "Regional records that could not be mapped",
                                        ["region"], registry=r)
        self.sync_seconds = Histogram("hub_sync_run_duration_seconds", "Duration of sync runs", ["region"],
                                      registry=r)
        self.graphql_latency = Histogram("hub_graphql_request_duration_seconds", "GraphQL operations by name",
                                         ["operation"], buckets=LATENCY_BUCKETS, registry=r)
        self.graphql_errors = Counter("hub_graphql_errors", "GraphQL operations answered with errors",
                                      ["operation"], registry=r)
        self.sync_lag = Gauge("hub_sync_lag_seconds", "Seconds since a region was last fully read", ["region"],
                              registry=r)
        self.outbox_depth = Gauge("hub_outbox_depth", "Outbox rows by status", ["status"], registry=r)

    def operation_label(self, name: str | None) -> str:
        """An operation's label: its name if known, ``anonymous`` if unnamed, else ``other``.

        Any caller chooses operation names; a label per name would let them
        grow the scrape without end.
        """
        if not name:
            return "anonymous"
        return name if name in self.known_operations else "other"

    async def on_sync_run(self, report: RunReport) -> None:
        """A scheduler listener: count the run and what it applied."""
        status = report.status.value if report.status is not None else "SKIPPED"
        self.sync_runs.labels(report.region_code, status).inc()
        self.records_applied.labels(report.region_code).inc(report.created + report.updated)
        self.records_rejected.labels(report.region_code).inc(report.rejected)
        self.sync_seconds.labels(report.region_code).observe(report.seconds)

    async def refresh_gauges(self, engine: AsyncEngine, *, now: datetime) -> None:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
            if "sync_states" in tables:
                rows = await connection.execute(select(SyncState.region_code, SyncState.last_success_at))
                for region, last_success in rows:
                    if last_success is not None:
                        self.sync_lag.labels(region).set(max(0.0, (now - last_success).total_seconds()))
            depth: dict[str, int] = {}
            if "outbox" in tables:
                query = select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
                depth = {str(getattr(s, "value", s)): n for s, n in await connection.execute(query)}
            for status in ("PENDING", "DEAD", "MANUAL"):
                self.outbox_depth.labels(status).set(depth.get(status, 0))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class GraphQLMetrics(SchemaExtension):
    """Times every operation; finds the metrics on the request context."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context.context
        metrics: HubMetrics | None = getattr(context, "metrics", None)
        if metrics is None:
            return
        name = metrics.operation_label(self.execution_context.operation_name)
        metrics.graphql_latency.labels(name).observe(time.perf_counter() - started)
        result = self.execution_context.result
        if result is not None and getattr(result, "errors", None):
            metrics.graphql_errors.labels(name).inc()
