"""``hub sync`` and ``hub regions check``: the sync engine in the foreground."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from hub.connectors.records import ConnectorError
from hub.connectors.registry import RegionConfig, Registry, RegistryError, load_registry
from hub.settings import Settings
from hub.store.database import create_engine
from hub.store.migrate import ensure_current
from hub.sync.runs import PullRun, RunReport, build_connector

LIVE_ROWS = 50  # regions above which the live table refreshes once a second


def registry_or_exit(settings: Settings, console: Console) -> Registry:
    if not settings.regions_file:
        console.print("[red]HUB_REGIONS_FILE is not set: point it at the region file (TOML or YAML)[/red]")
        raise SystemExit(2)
    try:
        return load_registry(settings.regions_file)
    except RegistryError as exc:
        console.print(f"[red]{escape(str(exc))}[/red]")
        raise SystemExit(2) from None


async def sync_regions(
    settings: Settings, registry: Registry, *, region_codes: list[str], full: bool, console: Console
) -> list[RunReport]:
    regions = [r for r in registry.regions if not region_codes or r.code in region_codes]
    unknown = set(region_codes) - {r.code for r in registry.regions}
    if unknown:
        console.print(f"[red]not in the region file: {', '.join(sorted(unknown))}[/red]")
        raise SystemExit(2)
    engine = create_engine(settings.database_url, **settings.db_pool)
    await ensure_current(engine, auto_migrate=True)
    columns = (
        TextColumn("[bold]{task.fields[region]}[/bold]"),
        TextColumn("{task.fields[pages]} pages"),
        TextColumn("{task.fields[records]} records"),
        TextColumn("{task.fields[rate]:.0f} rec/s"),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
    )
    try:
        # the live table re-renders every region's row at each refresh: nothing to show when the output is not
        # a terminal (the summary follows), and at most once a second for many regions (550: 65 ms of CPU a run)
        with Progress(*columns, console=console, disable=not console.is_terminal,
                      refresh_per_second=10 if len(regions) <= LIVE_ROWS else 1) as progress:
            tasks: dict[str, TaskID] = {
                r.code: progress.add_task("running", region=r.code, pages=0, records=0, rate=0.0) for r in regions
            }

            def show(report: RunReport) -> None:
                rate = report.seen / report.seconds if report.seconds else 0.0
                progress.update(tasks[report.region_code], pages=report.pages, records=report.seen, rate=rate)

            slots = asyncio.Semaphore(settings.sync_concurrency)  # the pool has room for this many runs

            async def one(region: RegionConfig) -> RunReport:
                async with slots:
                    report = await PullRun(engine, region, levels=settings.service_levels, trigger="cli", full=full,
                                           progress=show).execute()
                label = report.status.value.lower() if report.status else "skipped: another process holds it"
                progress.update(tasks[region.code], description=label)
                return report

            reports = await asyncio.gather(*(one(r) for r in regions))
    finally:
        await engine.dispose()
    console.print(summary_table(reports))
    for report in reports:
        if report.error:
            console.print(f"[red]{report.region_code}[/red]: {escape(report.error)}", highlight=False)
    return reports


def summary_table(reports: list[RunReport]) -> Table:
    """One row a region, narrow enough for an 80-column terminal; errors follow the table in full."""
    table = Table(title="sync summary", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), collapse_padding=True)
    table.add_column("region")
    table.add_column("status", no_wrap=True)
    for column in ("pages", "seen", "new", "changed", "same", "rejected", "secs"):
        table.add_column(column, justify="right", no_wrap=True)
    for report in reports:
        table.add_row(
            report.region_code, report.status.value if report.status else "SKIPPED", f"{report.pages:,}",
            f"{report.seen:,}", f"{report.created:,}", f"{report.updated:,}", f"{report.unchanged:,}",
            f"{report.rejected:,}", f"{report.seconds:.1f}",
        )
    return table


async def check_live(registry: Registry, console: Console, *, sample: int = 3) -> bool:
    """Fetch one page from each region and show how its first records map."""
    healthy = True
    for region in registry.regions:
        async with httpx.AsyncClient(timeout=region.timeout_seconds) as client:
            connector = build_connector(region, client)
            try:
                page = await connector.pull({}, page_size=min(region.page_size, 20))
            except ConnectorError as exc:
                console.print(f"[red]region {region.code}: cannot fetch a page from {region.base_url}: {escape(str(exc))}[/red]")
                healthy = False
                continue
        console.print(f"[bold]region {region.code}[/bold] ({region.connector}, {region.base_url}): "
                      f"{len(page.records)} mapped, {len(page.rejections)} rejected on the first page")
        for record in page.records[:sample]:
            shown: dict[str, Any] = {
                "source_id": record.source_id, "title": record.title[:60], "status": f"{record.local_status} -> {record.status.value}",
                "category": record.category_code, "created_at": record.created_at.isoformat(),
                "updated_at": record.updated_at.isoformat(), "events": len(record.events),
            }
            console.print("  " + escape(json.dumps(shown, ensure_ascii=False)))
        for rejection in page.rejections[:sample]:
            console.print(f"  [yellow]rejected {escape(rejection.source_id or '(no id)')}: {escape(rejection.reason)}[/yellow]")
            healthy = False
    return healthy
