"""``hub demo``: three simulated regional apps and the hub, syncing live.

Starts, in one process, the REST simulator for 19.71 (Kota Pangkal Pinang),
the Open311 simulator for 61.71 (Kota Pontianak) and the CSV export for 64.09
(Kabupaten Penajam Paser Utara), each with live activity; writes their region
file; seeds the national record with realistic complaints from across
Indonesia when it is empty; and serves the hub on SQLite, syncing every few
seconds. Ctrl-C stops everything.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import uvicorn
from rich.console import Console
from sqlalchemy import func, select

from hub.cli_seed import seed_store
from hub.domain.vocabulary import Role
from hub.settings import Settings
from hub.simulators import SimulatorConfig
from hub.simulators import create_app as create_simulator
from hub.simulators.config import Kind
from hub.simulators.region_file import csv_entry, open311_entry, rest_entry, write_region_file
from hub.store.database import create_engine
from hub.store.migrate import upgrade
from hub.store.models import Complaint
from hub.tokens import issue_token

API_KEY_ENV = "HUB_DEMO_REGION_API_KEY"
SIMULATORS: tuple[tuple[Kind, str, int], ...] = (("rest", "19.71", 8101), ("open311", "61.71", 8102), ("csv", "64.09", 8103))
EXAMPLE_QUERY = ('{ complaints(first: 5, filter: {regionCodes: ["19.71", "61.71", "64.09"]}) { totalCount '
                 'edges { node { trackingId title status region { name } sources { sourceSystem sourceId } } } } }')
SYNC_QUERY = "{ connectors { regionCode type health lagSeconds lastRun { status seen created updated } } }"


class _QuietServer(uvicorn.Server):
    """A server that leaves Ctrl-C to the hub's server, which stops the rest."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _port(preferred: int) -> int:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]


async def _complaint_count(settings: Settings) -> int:
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        async with engine.connect() as connection:
            return (await connection.execute(select(func.count()).select_from(Complaint))).scalar_one()
    finally:
        await engine.dispose()


async def _run(settings: Settings, *, port: int, complaints: int, interval: float, activity: float,
               workdir: Path, console: Console) -> None:
    from hub.app import create_app

    os.environ.setdefault(API_KEY_ENV, "demo-key")
    servers: list[uvicorn.Server] = []
    entries = []
    for kind, code, preferred in SIMULATORS:
        sim_port = _port(preferred)
        config = SimulatorConfig(kind=kind, region_code=code, seed=hash(code) % 1000, complaints=60,
                                 activity=activity, api_key=os.environ[API_KEY_ENV],
                                 db_path=str(workdir / f"simulator-{kind}.db"))
        servers.append(_QuietServer(uvicorn.Config(create_simulator(config), host="127.0.0.1", port=sim_port,
                                                   log_level="warning")))
        base = f"http://127.0.0.1:{sim_port}"
        maker = {"rest": rest_entry, "open311": open311_entry, "csv": csv_entry}[kind]
        extra = {"api_key_env": API_KEY_ENV} if kind != "csv" else {}
        entries.append(maker(code, base, interval_seconds=interval, **extra))
        console.print(f"  {kind:<8} simulator for {code} at {base}")
    regions_file = write_region_file(workdir / "regions.yaml", entries)
    settings = settings.model_copy(update={"regions_file": str(regions_file)})

    if await _complaint_count(settings) == 0 and complaints:
        console.print(f"seeding {complaints} realistic complaints from across Indonesia ...")
        await seed_store(settings, complaints=complaints, random_seed=2025)

    hub = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    admin = issue_token(secret=settings.secret, role=Role.NATIONAL_ADMIN, subject="demo")
    url = f"http://127.0.0.1:{port}"
    console.print(f"\n[bold green]LAPOR Hub[/bold green] is syncing {len(entries)} regions every {interval:g}s")
    console.print(f"  GraphQL:   {url}/graphql  (GraphiQL in a browser)")
    signed_in = quote(json.dumps({"Authorization": f"Bearer {admin}"}, separators=(",", ":")))
    console.print(f"  GraphiQL (national admin): {url}/graphql?headers={signed_in}", soft_wrap=True, highlight=False)
    console.print(f"  Dashboard (national admin): {url}/dashboard#token={admin}", soft_wrap=True, highlight=False)
    console.print(f"  Dashboard (public view):    {url}/dashboard")
    console.print(f"  Region file: {regions_file}", soft_wrap=True)
    console.print(f"  Check it:  {API_KEY_ENV}={os.environ[API_KEY_ENV]} HUB_REGIONS_FILE={regions_file} hub regions check", soft_wrap=True)
    console.print(f"  National admin token: {admin}", soft_wrap=True, highlight=False)
    console.print("\nTry in GraphiQL:", highlight=False)
    console.print(EXAMPLE_QUERY, soft_wrap=True, highlight=False)
    console.print("and, with the header Authorization: Bearer <token>, the sync state:", highlight=False)
    console.print(SYNC_QUERY + "\n", soft_wrap=True, highlight=False)
    console.print("Ctrl-C stops everything.")

    tasks = [asyncio.create_task(server.serve()) for server in servers]
    try:
        await hub.serve()
    finally:
        for server in servers:
            server.should_exit = True
        await asyncio.gather(*tasks, return_exceptions=True)
        console.print("stopped.")


def run_demo(settings: Settings, *, port: int, complaints: int, interval: float, activity: float, console: Console) -> None:
    workdir = Path(settings.database_url.split("///", 1)[-1]).resolve().parent if "sqlite" in settings.database_url else Path.cwd()
    workdir = workdir / "hub-demo"
    workdir.mkdir(exist_ok=True)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run(settings, port=port, complaints=complaints, interval=interval, activity=activity,
                         workdir=workdir, console=console))
