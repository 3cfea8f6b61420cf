"""The ``hub`` command: serve, worker, migrate, seed, tokens, schema, simulators, demo."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from hub.domain.vocabulary import Role
from hub.settings import ConfigError, Settings, load_settings

app = typer.Typer(help="LAPOR Hub: the national GraphQL hub for SP4N-LAPOR! complaints.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        err.print(f"[red]{exc}[/red]", soft_wrap=True, markup=True, highlight=False)
        raise typer.Exit(2) from None


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (HUB_DATABASE_URL)."""
    from hub.store.database import create_engine
    from hub.store.migrate import current_revision, upgrade

    settings = _settings()

    async def run() -> str | None:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
            return await current_revision(engine)
        finally:
            await engine.dispose()

    revision = asyncio.run(run())
    console.print(f"database schema is at revision [bold]{revision}[/bold]")


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="Interface to bind (default HUB_HOST)")] = None,
    port: Annotated[Optional[int], typer.Option(help="Port (default HUB_PORT)")] = None,
    workers: Annotated[Optional[int], typer.Option(min=1, help="API processes (uvicorn workers); serves the API "
                                                               "only: run the schedule with `hub worker`")] = None,
) -> None:
    """Serve the GraphQL API with uvicorn (with --workers or HUB_ROLE=api: the API only)."""
    import os

    import uvicorn

    from hub.app import create_app

    settings = _settings()
    if settings.role == "worker":
        err.print("[red]HUB_ROLE=worker: run `hub worker` instead of `hub serve`[/red]")
        raise typer.Exit(2)
    host, port = host or settings.host, settings.port if port is None else port
    if workers is None:
        uvicorn.run(create_app(settings), host=host, port=port)
        return
    from hub.store.database import is_sqlite

    if settings.is_dev and is_sqlite(settings.database_url):  # migrate once here, not in N racing processes
        migrate()
    os.environ["HUB_ROLE"] = "api"  # the uvicorn workers build the app from the environment
    console.print(f"serving the API only, {workers} process(es); run the schedule with `hub worker`")
    # a worker loads the schema and opens the database before it answers the supervisor: give it time
    uvicorn.run("hub.app:create_app", factory=True, host=host, port=port, workers=workers, timeout_worker_healthcheck=60)


@app.command()
def worker(
    health_port: Annotated[Optional[int], typer.Option(help="Serve /healthz, /readyz and /metrics on this port")] = None,
    host: Annotated[Optional[str], typer.Option(help="Interface for the health port (default HUB_HOST)")] = None,
) -> None:
    """Run the pull schedule, the outbox dispatcher and the periodic jobs (no GraphQL API)."""
    from hub.startup import StartupFailed
    from hub.worker import create_worker_app, run_worker

    settings = _settings()
    if health_port is not None:
        import uvicorn

        uvicorn.run(create_worker_app(settings), host=host or settings.host, port=health_port)
        return
    try:
        asyncio.run(run_worker(settings))
    except StartupFailed:  # the reason is logged in one line
        raise typer.Exit(1) from None


@app.command()
def token(
    role: Annotated[Role, typer.Option(help="Role the token grants")],
    region: Annotated[Optional[list[str]], typer.Option(help="Region code (repeatable) for REGION_ADMIN")] = None,
    agency: Annotated[Optional[int], typer.Option(help="Agency id for AGENCY_OFFICER")] = None,
    reporter: Annotated[Optional[int], typer.Option(help="Reporter id for REPORTER")] = None,
    subject: Annotated[Optional[str], typer.Option(help="Who the token is for")] = None,
    days: Annotated[int, typer.Option(help="Days until it expires")] = 30,
) -> None:
    """Print a signed token for local use (Authorization: Bearer <token>)."""
    from datetime import timedelta

    from hub.tokens import issue_token

    settings = _settings()
    try:
        printed = issue_token(
            secret=settings.secret,
            algorithm=settings.jwt_algorithm,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            role=role,
            region_codes=region or (),
            agency_id=agency,
            reporter_id=reporter,
            subject=subject,
            ttl=timedelta(days=days),
        )
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    typer.echo(printed)


@app.command("export-schema")
def export_schema(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout")] = None,
    undescribed: Annotated[bool, typer.Option("--undescribed", help="List the types and fields without a description; "
                                                                    "exit 1 if there are any")] = False,
) -> None:
    """Print the GraphQL schema (SDL); docs/schema.graphql is its reviewed snapshot."""
    from hub.schema.build import build_schema
    from hub.schema.review import undescribed as without_description

    schema = build_schema(_settings())  # settings set limits, never the shape of the schema
    if undescribed:
        missing = without_description(schema._schema)
        for name in missing:
            sys.stdout.write(name + "\n")
        err.print(f"{len(missing)} type(s) and field(s) without a description")
        raise typer.Exit(1 if missing else 0)
    sdl = schema.as_str() + "\n"
    if output:
        output.write_text(sdl, encoding="utf-8")
        console.print(f"schema written to {output}")
    else:
        sys.stdout.write(sdl)


@app.command()
def seed(
    complaints: Annotated[int, typer.Option(min=1, help="How many complaints to add")] = 1000,
    random_seed: Annotated[int, typer.Option("--seed", help="Random seed")] = 2025,
) -> None:
    """Fill the store with realistic complaints (Faker id_ID) for demos and benchmarks."""
    from hub.cli_seed import run_seed

    run_seed(_settings(), complaints=complaints, random_seed=random_seed, console=console)


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port for the hub")] = 8000,
    complaints: Annotated[int, typer.Option(help="Complaints to seed into an empty national record")] = 2000,
    interval: Annotated[float, typer.Option(help="Seconds between syncs of each region")] = 5.0,
    activity: Annotated[float, typer.Option(help="Activity steps per second in each simulated region")] = 0.5,
) -> None:
    """Run three simulated regional apps and the hub on SQLite, syncing live."""
    from hub.cli_demo import run_demo

    run_demo(_settings(), port=port, complaints=complaints, interval=interval, activity=activity, console=console)


@app.command()
def simulate(
    kind: Annotated[str, typer.Argument(help="rest | open311 | csv | many (many regions in one process)")],
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1")],
    region: Annotated[Optional[str], typer.Option(help="Kemendagri code of a regency or city, e.g. 61.71")] = None,
    seed: Annotated[int, typer.Option(help="Random seed of the data")] = 1,
    complaints: Annotated[int, typer.Option(help="Complaints to seed")] = 50,
    activity: Annotated[float, typer.Option(help="Live activity steps per second (0: quiet)")] = 0.0,
    faults: Annotated[Optional[str], typer.Option(help="e.g. latency=200,errors=0.2,html=0.1,hang=0.05,malformed=0.05,repeat=1,skew=-300")] = None,
    db: Annotated[Optional[Path], typer.Option(help="SQLite file for its data (default: in memory)")] = None,
    api_key: Annotated[str, typer.Option(help="The key a client must send (rest and open311)")] = "sim-key",
    paging: Annotated[Optional[str], typer.Option(help="rest: page | offset | cursor | link | none")] = None,
    order: Annotated[Optional[str], typer.Option(help="rest: oldest | newest (first, by update time)")] = None,
    auth: Annotated[Optional[str], typer.Option(help="rest: header | bearer | basic | query")] = None,
    flags: Annotated[Optional[str], typer.Option(help="rest: boolean | true-false | ya-tidak | 1-0")] = None,
    privacy: Annotated[Optional[str], typer.Option(help="rest: none | word | flag (marking confidential complaints)")] = None,
    dialect: Annotated[Optional[str], typer.Option(help="rest: sipadu | aduan (the write endpoints)")] = None,
    flavour: Annotated[Optional[str], typer.Option(help="open311 only: default | georeport | mysociety | legacy")] = None,
    habits: Annotated[Optional[str], typer.Option(help="open311 only, on top of the flavour: e.g. formats=xml,paging=none,"
                                                      "window=90,cap=1000,jurisdiction=pontianak.go.id,sparse=0.2,updates=mysociety")] = None,
    regions: Annotated[int, typer.Option(help="many: how many regions (regencies and cities, in code order)")] = 10,
    latency: Annotated[int, typer.Option(help="many: milliseconds every request waits")] = 50,
    faulty_share: Annotated[float, typer.Option(help="many: share of regions that get --faults")] = 0.1,
    region_file: Annotated[Optional[Path], typer.Option(help="many: write the hub's region file for the regions here")] = None,
    interval: Annotated[float, typer.Option(help="many: seconds between syncs, in the region file")] = 60.0,
) -> None:
    """Run a simulated regional complaint app (see docs/simulators.md)."""
    from hub.simulators.config import SimulatorConfig, kind_of
    from hub.simulators.faults import FaultConfig
    from hub.simulators.habits import RestHabits
    from hub.simulators.open311.habits import Open311Habits
    from hub.simulators.runner import serve as serve_simulator

    if kind == "many":
        from hub.cli_simulate_many import run_many

        run_many(port=port, regions=regions, seed=seed, complaints=complaints, activity=activity, faults=faults,
                 latency=latency, faulty_share=faulty_share, api_key=api_key, region_file=region_file,
                 interval=interval, console=console, err=err)
        return
    if region is None:
        err.print("[red]--region is required (e.g. --region 61.71)[/red]")
        raise typer.Exit(2)
    chosen = {"paging": paging, "order": order, "auth": auth, "flags": flags, "privacy": privacy, "dialect": dialect}
    try:
        if (flavour or habits) and kind != "open311":
            raise ValueError("--flavour and --habits set the habits of an open311 simulator only")
        rest_habits = RestHabits().merged({name: value for name, value in chosen.items() if value is not None})
        config = SimulatorConfig(kind=kind_of(kind), region_code=region, seed=seed, complaints=complaints, activity=activity,
                                 api_key=api_key, db_path=str(db) if db else None, faults=FaultConfig.parse(faults), habits=rest_habits,
                                 open311=Open311Habits.parse(habits, flavour=flavour))
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    console.print(f"{kind} simulator for region {region} on http://127.0.0.1:{port} (ground truth: /_admin/ground-truth)", soft_wrap=True)
    if kind != "csv":
        console.print(f"api key: {api_key}", highlight=False)
    if kind == "rest":
        console.print("habits: " + ", ".join(f"{name}={value}" for name, value in rest_habits.to_dict().items()), soft_wrap=True)
    elif config.open311 != Open311Habits():
        console.print("habits: " + ", ".join(f"{k}={v}" for k, v in config.open311.to_dict().items()))
    serve_simulator(config, port=port)


regions_app = typer.Typer(help="The region file (HUB_REGIONS_FILE): connected regional apps.", no_args_is_help=True)
app.add_typer(regions_app, name="regions")


@regions_app.command("check")
def regions_check(
    live: Annotated[bool, typer.Option("--live", help="Also fetch one page from each region and show the mapping")] = False,
) -> None:
    """Validate the region file; name the region and field of each problem."""
    from hub.cli_sync import check_live, registry_or_exit

    settings = _settings()
    try:
        registry = registry_or_exit(settings, err)
    except SystemExit as exc:
        raise typer.Exit(int(exc.code or 2)) from None
    console.print(f"{settings.regions_file}: {len(registry.regions)} region(s), all valid")
    for region in registry.regions:
        console.print(f"  {region.code} {region.connector:<8} {region.base_url}  {region.schedule.describe()}")
    if live and not asyncio.run(check_live(registry, console)):
        raise typer.Exit(1)


@app.command()
def sync(
    region: Annotated[Optional[list[str]], typer.Option(help="Only this region (repeatable)")] = None,
    full: Annotated[bool, typer.Option("--full", help="Read everything again from the start")] = False,
) -> None:
    """Pull every connected region once, in the foreground, with progress and a summary."""
    from hub.cli_sync import registry_or_exit, sync_regions

    settings = _settings()
    try:
        registry = registry_or_exit(settings, err)
        reports = asyncio.run(sync_regions(settings, registry, region_codes=region or [], full=full, console=console))
    except SystemExit as exc:
        raise typer.Exit(int(exc.code or 2)) from None
    if any(r.status is not None and r.status.value != "SUCCEEDED" for r in reports):
        raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
