"""``hub demo``: the embedded SQLite hub with realistic data, served with GraphiQL."""

from __future__ import annotations

import asyncio

import uvicorn
from rich.console import Console
from sqlalchemy import func, select

from hub.cli_seed import seed_store
from hub.settings import Settings
from hub.store.database import create_engine
from hub.store.migrate import upgrade
from hub.store.models import Complaint

EXAMPLE_QUERY = """{ complaints(first: 5, filter: {provinceCode: "61"}) {
    totalCount edges { node { trackingId title status region { name } slaBreached } } } }"""


async def _complaint_count(settings: Settings) -> int:
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        async with engine.connect() as connection:
            return (await connection.execute(select(func.count()).select_from(Complaint))).scalar_one()
    finally:
        await engine.dispose()


def run_demo(settings: Settings, *, port: int, complaints: int, console: Console) -> None:
    from hub.app import create_app

    if asyncio.run(_complaint_count(settings)) == 0:
        console.print(f"seeding {complaints} realistic complaints into {settings.database_url} ...")
        asyncio.run(seed_store(settings, complaints=complaints, random_seed=2025))
    url = f"http://127.0.0.1:{port}/graphql"
    console.print(f"\n[bold green]LAPOR Hub[/bold green] GraphQL (GraphiQL in a browser): {url}")
    console.print(f"try: curl -s {url} -H 'content-type: application/json' -d '{{\"query\": \"{{ categories {{ code name }} }}\"}}'")
    console.print(f"or in GraphiQL:\n{EXAMPLE_QUERY}\n")
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
