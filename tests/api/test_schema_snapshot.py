"""The public schema is reviewed as a file: docs/schema.graphql must be what the code builds."""

from __future__ import annotations

import difflib
from pathlib import Path

from typer.testing import CliRunner

from hub.cli import app
from hub.schema.build import build_schema
from hub.schema.review import undescribed
from hub.settings import Settings

SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "schema.graphql"


def test_the_schema_is_its_reviewed_snapshot():
    built = build_schema(Settings()).as_str() + "\n"
    kept = SNAPSHOT.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(kept.splitlines(True), built.splitlines(True), "docs/schema.graphql", "built"))
    assert not diff, ("the public schema changed; review it, then run `hub export-schema -o docs/schema.graphql`"
                      " (a breaking change needs a deprecation first)\n" + diff[:4000])


def test_every_type_and_field_is_described():
    assert undescribed(build_schema(Settings())._schema) == []
    result = CliRunner().invoke(app, ["export-schema", "--undescribed"])
    assert result.exit_code == 0 and result.stdout == ""
