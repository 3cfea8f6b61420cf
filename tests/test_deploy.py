"""The process files under deploy/ parse, and every command in them is a real ``hub`` command."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest
import typer.main
import yaml

from hub.cli import app
from hub.settings import Settings

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
HUB = typer.main.get_command(app)
SETTINGS = {f"HUB_{name.upper()}" for name in Settings.model_fields}


def parses_as_hub_command(argv: list[str]) -> None:
    """``argv`` (after the program) is accepted by the hub CLI: the command exists, its options parse."""
    assert argv[0].endswith("hub"), argv
    name, *args = argv[1:]
    assert name in HUB.commands, f"hub has no command {name!r}"  # type: ignore[attr-defined]
    command = HUB.commands[name]  # type: ignore[attr-defined]
    command.make_context(name, list(args))  # raises on an unknown option or a bad value


def test_the_compose_file_runs_migrate_api_and_workers_on_postgres():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "migrate", "api", "worker"} <= set(services)
    roles = {}
    for name, service in services.items():
        if name == "postgres":
            assert "healthcheck" in service
            continue
        parses_as_hub_command(service["command"])
        environment = service["environment"]
        unknown = {key for key in environment if key.startswith("HUB_")} - SETTINGS
        assert not unknown, f"{name}: no such setting {unknown}"
        assert environment["HUB_DATABASE_URL"].startswith("postgresql+asyncpg://")
        roles[name] = environment.get("HUB_ROLE")
        if name != "migrate":
            assert "healthcheck" in service and "/readyz" in " ".join(service["healthcheck"]["test"])
    assert services["api"]["command"][:2] == ["hub", "serve"] and roles["api"] == "api"
    assert services["worker"]["command"][:2] == ["hub", "worker"] and roles["worker"] == "worker"
    assert services["migrate"]["command"] == ["hub", "migrate"]


@pytest.mark.parametrize("unit", sorted(p.name for p in (DEPLOY / "systemd").glob("*.service")))
def test_each_systemd_unit_parses_and_starts_a_hub_command(unit):
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read_string((DEPLOY / "systemd" / unit).read_text())
    assert {"Unit", "Service", "Install"} <= set(parser.sections())
    service = parser["Service"]
    argv = shlex.split(service["ExecStart"].replace("%i", "1"))
    parses_as_hub_command(argv)
    assert service["EnvironmentFile"].startswith("/")
    role = service.get("Environment", "")
    if argv[1] == "worker":
        assert role == "HUB_ROLE=worker"
    elif argv[1] == "serve":
        assert role == "HUB_ROLE=api"


def test_a_scheduling_process_has_pool_room_for_its_concurrent_runs():
    # each run holds a lock connection and a write connection: fewer would let the runs wait on each other forever
    worker = Settings(role="worker", sync_concurrency=32, db_pool_size=10, db_max_overflow=10).db_pool
    assert worker["pool_size"] + worker["max_overflow"] >= 2 * 32 + 4
    api = Settings(role="api", sync_concurrency=32, db_pool_size=10, db_max_overflow=10).db_pool
    assert api == {"pool_size": 10, "max_overflow": 10}
