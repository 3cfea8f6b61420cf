"""The `hub` command: tokens, schema export, migrate."""

from __future__ import annotations

import jwt
from typer.testing import CliRunner

from hub.cli import app
from hub.settings import DEV_JWT_SECRET
from hub.tokens import viewer_from_token

runner = CliRunner()


def test_token_for_a_region_admin_is_accepted_by_the_server_secret():
    result = runner.invoke(app, ["token", "--role", "REGION_ADMIN", "--region", "61.71", "--region", "19.71"])
    assert result.exit_code == 0, result.output
    viewer = viewer_from_token(result.output.strip(), secret=DEV_JWT_SECRET)
    assert viewer.role == "REGION_ADMIN"
    assert viewer.region_codes == {"61.71", "19.71"}


def test_token_refuses_a_region_admin_without_region():
    result = runner.invoke(app, ["token", "--role", "REGION_ADMIN"])
    assert result.exit_code == 2
    assert "needs at least one region code" in result.output


def test_token_refuses_a_malformed_region_code():
    result = runner.invoke(app, ["token", "--role", "REGION_ADMIN", "--region", "Pontianak"])
    assert result.exit_code == 2
    assert "not a Kemendagri region code" in result.output


def test_reporter_token_carries_reporter_id():
    result = runner.invoke(app, ["token", "--role", "REPORTER", "--reporter", "42"])
    claims = jwt.decode(result.output.strip(), DEV_JWT_SECRET, algorithms=["HS256"], issuer="lapor-hub")
    assert claims["reporter"] == 42 and claims["role"] == "REPORTER"


def test_export_schema_prints_the_sdl():
    result = runner.invoke(app, ["export-schema"])
    assert result.exit_code == 0
    assert "type Complaint implements Node" in result.output
    assert "complaints(" in result.output


def test_migrate_brings_a_new_database_to_head(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'm.db'}")
    result = runner.invoke(app, ["migrate"])
    assert result.exit_code == 0, result.output
    assert "revision" in result.output
