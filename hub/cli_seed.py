"""``hub seed``: migrate if needed, then add realistic complaints with a progress bar."""

from __future__ import annotations

import asyncio

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from hub.settings import Settings
from hub.store.database import create_engine
from hub.store.migrate import upgrade
from hub.store.seeding import SeedSummary


async def seed_store(settings: Settings, *, complaints: int, random_seed: int, progress: Progress | None = None) -> SeedSummary:
    from hub.store.seeding import seed_complaints

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        task = progress.add_task("seeding", total=complaints) if progress else None

        def advance(done: int) -> None:
            if progress is not None and task is not None:
                progress.update(task, completed=done)

        return await seed_complaints(
            engine, count=complaints, seed=random_seed, levels=settings.service_levels, progress=advance
        )
    finally:
        await engine.dispose()


def run_seed(settings: Settings, *, complaints: int, random_seed: int, console: Console) -> None:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        summary = asyncio.run(seed_store(settings, complaints=complaints, random_seed=random_seed, progress=progress))
    console.print(
        f"added {summary.complaints:,} complaints from {summary.reporters:,} reporters with {summary.events:,} "
        f"timeline events ({summary.agencies:,} agencies known) in {summary.elapsed:.1f} s"
    )
