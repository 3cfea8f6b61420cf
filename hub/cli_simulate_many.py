"""``hub simulate many``: many simulated regions in one process, and their region file."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

API_KEY_ENV = "HUB_SIM_API_KEY"


def run_many(*, port: int, regions: int, seed: int, complaints: int, activity: float, faults: str | None,
             latency: int, faulty_share: float, api_key: str, region_file: Path | None, interval: float,
             console: Console, err: Console) -> None:
    import uvicorn

    from hub.simulators.faults import FaultConfig
    from hub.simulators.many import ManyConfig, create_many_app, region_entries
    from hub.simulators.region_file import write_region_file

    try:
        config = ManyConfig(regions=regions, seed=seed, complaints=complaints, latency_ms=latency,
                            activity=activity or 1.0, faults=FaultConfig.parse(faults),
                            faulty_share=faulty_share if faults else 0.0, api_key=api_key)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    base = f"http://127.0.0.1:{port}"
    if region_file is not None:
        write_region_file(region_file, region_entries(config, base, api_key_env=API_KEY_ENV, interval_seconds=interval))
        console.print(f"region file: {region_file} ({regions} regions, every {interval:g}s); "
                      f"the hub needs {API_KEY_ENV}={api_key}", soft_wrap=True, highlight=False)
    console.print(f"{regions} simulated regions on {base}/r/<code> ({latency} ms a request, "
                  f"{config.activity:g} activity steps/s in all; list: {base}/_admin/regions)", soft_wrap=True)
    console.print("building the regions ...")
    app = create_many_app(config)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
