"""`hub sync`: every region once in the foreground, with a summary table; a region
that is down fails on its own while the others still sync."""

from __future__ import annotations

import socket

import pytest
from typer.testing import CliRunner

from hub.cli import app
from hub.simulators.region_file import csv_entry, open311_entry, rest_entry, write_region_file
from tests.e2e.regional import API_KEY_ENV, regions

runner = CliRunner()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sync(monkeypatch: pytest.MonkeyPatch, database_url: str, regions_file, *args: str):
    monkeypatch.setenv("HUB_DATABASE_URL", database_url)
    monkeypatch.setenv("HUB_REGIONS_FILE", str(regions_file))
    monkeypatch.setenv("COLUMNS", "80")
    return runner.invoke(app, ["sync", *args])


def summary(output: str) -> dict[str, list[str]]:
    """region code -> the cells of its row in the summary table (an 80-column one)."""
    rows = {}
    table = output[output.index("sync summary"):]
    for line in table.splitlines():
        cells = line.split()
        if cells and cells[0] in ("19.71", "61.71", "64.09"):
            assert len(line) <= 80, line
            rows[cells[0]] = cells
    return rows


def errors(output: str) -> dict[str, str]:
    """region code -> the error printed in full after the table."""
    found = {}
    for line in output[output.index("sync summary"):].splitlines():
        code, colon, said = line.partition(": ")
        if colon and code in ("19.71", "61.71", "64.09"):
            found[code] = said
    return found


def test_sync_pulls_every_region_and_prints_a_summary(database_url, tmp_path, monkeypatch):
    with regions(monkeypatch, complaints=15) as (found, _):
        path = write_region_file(tmp_path / "regions.yaml", [
            rest_entry("19.71", found["rest"].base_url, api_key_env=API_KEY_ENV),
            open311_entry("61.71", found["open311"].base_url, api_key_env=API_KEY_ENV),
            csv_entry("64.09", found["csv"].base_url),
        ])
        result = sync(monkeypatch, database_url, path)
        assert result.exit_code == 0, result.output
        assert "sync summary" in result.output
        rows = summary(result.output)
        assert set(rows) == {"19.71", "61.71", "64.09"}, result.output
        for code, cells in rows.items():
            assert cells[1] == "SUCCEEDED", cells
            assert cells[4] == "15", f"{code} created {cells[4]}"  # region, status, pages, seen, created

        again = summary(sync(monkeypatch, database_url, path, "--region", "61.71").output)
        assert list(again) == ["61.71"] and again["61.71"][1] == "SUCCEEDED" and again["61.71"][4] == "0"

        result = sync(monkeypatch, database_url, path, "--region", "99.99")
        assert result.exit_code == 2
        assert "not in the region file: 99.99" in result.output


def test_a_region_that_is_down_fails_alone(database_url, tmp_path, monkeypatch):
    with regions(monkeypatch, complaints=10, kinds=("open311", "csv")) as (found, _):
        port = closed_port()
        path = write_region_file(tmp_path / "regions.yaml", [
            rest_entry("19.71", f"http://127.0.0.1:{port}", api_key_env=API_KEY_ENV, max_attempts=1, timeout_seconds=2),
            open311_entry("61.71", found["open311"].base_url, api_key_env=API_KEY_ENV),
            csv_entry("64.09", found["csv"].base_url),
        ])
        result = sync(monkeypatch, database_url, path)
        assert result.exit_code == 1, result.output
        rows = summary(result.output)
        assert rows["19.71"][1] == "FAILED", result.output
        said = " ".join(result.output[result.output.index("19.71: "):].split())
        assert f"127.0.0.1:{port}" in said and "failed" in said, said
        assert set(errors(result.output)) == {"19.71"}
        assert rows["61.71"][1] == "SUCCEEDED" and rows["64.09"][1] == "SUCCEEDED"
        assert rows["61.71"][4] == "10" and rows["64.09"][4] == "10"
