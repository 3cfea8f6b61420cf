"""The server as an operator meets it: health, schema checks, settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
import pytest
from sqlalchemy import text

from hub.app import create_app
from hub.settings import ConfigError, Settings, load_settings
from hub.store.database import create_engine
from hub.store.migrate import SchemaBehind, ensure_current, head_revision
from tests.hubclient import hub_client


async def test_healthz_reports_database_ok(database_url):
    async with hub_client(database_url) as hub:
        response = await hub.http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_server_refuses_a_database_whose_schema_is_behind(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    app = create_app(Settings(database_url=url, env="production", jwt_secret="x"))
    with pytest.raises(SchemaBehind, match="run `hub migrate`"):
        await app.state.runtime.start()
    await app.state.runtime.stop()


async def test_embedded_sqlite_in_dev_migrates_itself(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    app = create_app(Settings(database_url=url))
    await app.state.runtime.start()
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub.test") as http:
            response = await http.post("/graphql", json={"query": "{ regions(level: PROVINCE) { code } }"})
        assert len(response.json()["data"]["regions"]) == 38
    finally:
        await app.state.runtime.stop()


def test_production_without_secret_is_refused(monkeypatch):
    monkeypatch.setenv("HUB_ENV", "production")
    monkeypatch.delenv("HUB_JWT_SECRET", raising=False)
    with pytest.raises(ConfigError, match="HUB_JWT_SECRET must be set"):
        load_settings()


def test_a_settings_typo_names_the_variable(monkeypatch):
    monkeypatch.setenv("HUB_ENV", "prod")
    with pytest.raises(ConfigError, match="HUB_ENV"):
        load_settings()


async def test_a_migrated_database_is_at_the_head_revision_and_accepted(database_url):
    engine = create_engine(database_url)
    async with engine.connect() as connection:
        version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
    await ensure_current(engine, auto_migrate=False)  # raises SchemaBehind otherwise
    await engine.dispose()
    assert version == head_revision(database_url)


@pytest.mark.parametrize(
    ("setting", "value", "reason"),
    [
        ("HUB_REGIONS_FILE", "/nowhere/regions.yaml", "/nowhere/regions.yaml does not exist"),
        ("HUB_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:1/lapor", "the database at 127.0.0.1:1/lapor cannot be reached"),
    ],
)
def test_a_server_that_cannot_start_says_why_in_one_line(tmp_path, setting, value, reason):
    env = {**os.environ, "HUB_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}", setting: value}
    done = subprocess.run([sys.executable, "-m", "hub.cli", "serve", "--port", "0"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    errors = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{") and '"ERROR"' in line]
    said = [entry["message"] for entry in errors if entry["logger"] == "hub.app"]
    assert len(said) == 1 and said[0].startswith("cannot start: ") and reason in said[0]
    assert "Traceback" not in done.stderr and "\n" not in said[0]
