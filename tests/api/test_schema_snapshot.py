"""The public schema is reviewed as a file: docs/schema.graphql must be what the code builds."""

from __future__ import annotations

import difflib
from pathlib import Path

from graphql import build_schema as build_sdl
from typer.testing import CliRunner

from hub.cli import app
from hub.schema.build import build_schema
from hub.schema.review import undeprecated_breaks, undescribed
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


def test_a_breaking_change_needs_a_deprecation_first():
    """From the reviewed snapshot to the live schema, only elements already marked @deprecated may break."""
    breaks = undeprecated_breaks(SNAPSHOT.read_text(encoding="utf-8"), build_schema(Settings())._schema)
    assert breaks == [], ("these changes break clients; deprecate the element first (docs/api.md, "
                          "'Evolving the schema'), ship, and remove it later:\n" + "\n".join(breaks))


def test_the_breaking_change_check_allows_only_what_was_deprecated():
    old = '''type Query { a: Int @deprecated(reason: "use b") b: Int c(x: Int, y: Int @deprecated(reason: "x")): Int e: E }
    enum E { ONE TWO @deprecated(reason: "gone") THREE }'''
    new = build_sdl("type Query { c: Int e: E } enum E { ONE }")
    assert undeprecated_breaks(old, new) == [
        "FIELD_REMOVED: Field Query.b was removed.",
        "ARG_REMOVED: Argument Query.c(x:) was removed.",
        "VALUE_REMOVED_FROM_ENUM: Enum value E.THREE was removed.",
    ]
    assert undeprecated_breaks(old, build_sdl(old)) == []


def test_service_level_periods_in_descriptions_are_the_configured_ones():
    fields = build_schema(Settings(sla_verify_days=4, sla_reporter_answer_days=7))._schema.type_map["Complaint"].fields
    assert fields["verifyDue"].description.startswith("Verification due (UTC): 4 working days after submission")
    assert "7 working days" in fields["answerDue"].description
    assert "{sla." not in build_schema(Settings()).as_str()
