"""The region file: `hub regions check` names the region and field of every problem,
and `--live` shows how the first records of each real regional app map."""

from __future__ import annotations

import re
import socket
import tomllib
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from hub.cli import app
from hub.connectors.registry import RegistryError, parse_registry
from hub.simulators import csv_app, open311
from hub.simulators import rest as rest_app
from hub.simulators.region_file import csv_entry, open311_entry, rest_entry, write_region_file
from tests.e2e.regional import API_KEY_ENV, regions

runner = CliRunner()
KEY_ENV = "HUB_TEST_REGION_KEY"

# A complete REST region in TOML, as a region admin would write it.
VALID_TOML = """\
[[regions]]
code = "19.71"
connector = "rest"
base_url = "https://sipadu.pangkalpinangkota.go.id"
name = "SIPADU Pangkalpinang"
schedule = { interval_seconds = 300 }
credentials = { api_key = "HUB_TEST_REGION_KEY" }
overlap_seconds = 600

[regions.options]
list_path = "/api/v1/laporan"
page_param = "page"
page_size_param = "per_page"
since_param = "updated_since"
since_format = "%d/%m/%Y %H:%M:%S"
records_path = "data"
total_pages_path = "meta.total_pages"
auth_header = "X-API-Key"

[regions.mapping]
date_format = "%d/%m/%Y %H:%M:%S"

[regions.mapping.fields]
source_id = "id"
title = "judul"
body = "isi_laporan"
status = "status"
created_at = "tanggal_dibuat"
updated_at = "tanggal_diperbarui"
category = "kategori"
reporter_name = "pelapor.nama"
events = "tanggapan"

[regions.mapping.event_fields]
id = "id"
occurred_at = "tanggal"
text = "isi"
status = "status"

[regions.mapping.statuses]
"Belum Diproses" = "SUBMITTED"
Diverifikasi = "VERIFIED"
Diproses = "IN_PROGRESS"
Selesai = "RESOLVED"
Ditolak = "REJECTED"
Dicabut = "WITHDRAWN"

[regions.mapping.categories]
"Jalan Rusak" = "ROADS"
Sampah = "ENVIRONMENT"
Lainnya = "OTHER"
"""


def check(monkeypatch: pytest.MonkeyPatch, path: Path, *args: str):
    monkeypatch.setenv("HUB_REGIONS_FILE", str(path))
    monkeypatch.setenv("COLUMNS", "250")
    return runner.invoke(app, ["regions", "check", *args])


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "secret")


def test_a_valid_toml_file_passes_and_lists_its_regions(tmp_path, monkeypatch, key):
    path = tmp_path / "regions.toml"
    path.write_text(VALID_TOML, encoding="utf-8")
    result = check(monkeypatch, path)
    assert result.exit_code == 0, result.output
    assert "1 region(s), all valid" in result.output
    assert "19.71" in result.output and "rest" in result.output and "every 300s" in result.output


def test_a_valid_yaml_file_with_all_three_connector_types_passes(tmp_path, monkeypatch, key):
    path = write_region_file(tmp_path / "regions.yaml", [
        rest_entry("19.71", "http://127.0.0.1:8101", api_key_env=KEY_ENV),
        open311_entry("61.71", "http://127.0.0.1:8102", api_key_env=KEY_ENV),
        csv_entry("64.09", "http://127.0.0.1:8103", schedule={"cron": "*/15 * * * *"}),
    ])
    result = check(monkeypatch, path)
    assert result.exit_code == 0, result.output
    output = flat(result.output)
    assert "3 region(s), all valid" in output
    assert "19.71 rest" in output and "61.71 open311" in output and "64.09 csv" in output
    assert "cron */15 * * * *" in output


def test_a_province_keeps_its_own_app_too(tmp_path, monkeypatch, key):
    path = write_region_file(tmp_path / "regions.yaml", [
        rest_entry("61", "http://127.0.0.1:8101", api_key_env=KEY_ENV),  # the province's own app (pemprov)
        open311_entry("61.71", "http://127.0.0.1:8102", api_key_env=KEY_ENV),
    ])
    result = check(monkeypatch, path)
    assert result.exit_code == 0, result.output
    output = flat(result.output)
    assert "2 region(s), all valid" in output and "61 rest" in output and "61.71 open311" in output


BAD_TOML = [
    # (what is wrong, replace this, with this, the message must say)
    ("typo'd key", 'base_url = "https', 'base_ulr = "https', ["region 19.71: base_ulr: Extra inputs are not permitted",
                                                           "region 19.71: base_url: Field required"]),
    ("unknown region code", 'code = "19.71"', 'code = "99.99"', ["region 99.99: code:", "'99.99' is not a Kemendagri region code"]),
    ("unknown province code", 'code = "19.71"', 'code = "99"', ["region 99: code:", "'99' is not a Kemendagri region code"]),
    ("unknown connector type", 'connector = "rest"', 'connector = "soap"', ["region 19.71: connector: unknown connector type 'soap'",
                                                                          "installed: csv, open311, rest"]),
    ("status mapped to a non-national status", 'Diproses = "IN_PROGRESS"', 'Diproses = "DOING"',
     ["region 19.71: mapping.statuses.Diproses:", "'SUBMITTED'"]),
    ("unknown national category", 'Sampah = "ENVIRONMENT"', 'Sampah = "KEBERSIHAN"',
     ["region 19.71: mapping.categories.Sampah: 'KEBERSIHAN' is not a national category code"]),
    ("REST without list_path", 'list_path = "/api/v1/laporan"\n', "",
     ["region 19.71: options.list_path: Field required"]),
    ("bad cron", "schedule = { interval_seconds = 300 }", 'schedule = { cron = "every monday" }',
     ["region 19.71: schedule:", "cron 'every monday' is not a crontab expression"]),
    ("interval and cron both", "schedule = { interval_seconds = 300 }", 'schedule = { interval_seconds = 300, cron = "0 * * * *" }',
     ["region 19.71: schedule: give exactly one of interval_seconds or cron"]),
    ("unknown mapping field", 'reporter_name = "pelapor.nama"', 'reporter = "pelapor.nama"',
     ["region 19.71: mapping.fields.reporter: Extra inputs are not permitted"]),
    ("bad time zone", 'date_format = "%d/%m/%Y %H:%M:%S"\n\n[regions.mapping.fields]',
     'date_format = "%d/%m/%Y %H:%M:%S"\ntime_zone = "Asia/Pangkalpinang"\n\n[regions.mapping.fields]',
     ["region 19.71: mapping.time_zone: 'Asia/Pangkalpinang' is not an IANA time zone"]),
    ("non-http base_url", 'base_url = "https://sipadu', 'base_url = "ftp://sipadu', ["region 19.71: base_url:", "is not an http(s) URL"]),
]


@pytest.mark.parametrize(("old", "new", "messages"), [case[1:] for case in BAD_TOML], ids=[case[0] for case in BAD_TOML])
def test_a_bad_region_file_fails_with_the_region_and_field(tmp_path, monkeypatch, key, old, new, messages):
    assert old in VALID_TOML
    path = tmp_path / "regions.toml"
    path.write_text(VALID_TOML.replace(old, new, 1), encoding="utf-8")
    result = check(monkeypatch, path)
    assert result.exit_code == 2, result.output
    output = flat(result.output)
    assert str(path) in output and "problem(s)" in output
    for message in messages:
        assert message in output, output
    assert "all valid" not in output


def test_a_credential_whose_environment_variable_is_not_set_is_named(tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    path = tmp_path / "regions.toml"
    path.write_text(VALID_TOML, encoding="utf-8")
    result = check(monkeypatch, path)
    assert result.exit_code == 2, result.output
    assert f"region 19.71: credentials.api_key: environment variable {KEY_ENV} is not set" in flat(result.output)


def test_a_region_listed_twice_is_named(tmp_path, monkeypatch, key):
    path = tmp_path / "regions.toml"
    path.write_text(VALID_TOML + "\n" + VALID_TOML, encoding="utf-8")
    result = check(monkeypatch, path)
    assert result.exit_code == 2, result.output
    assert "region 19.71: code: listed twice" in flat(result.output)


def test_every_problem_of_every_region_is_listed_at_once(tmp_path, monkeypatch, key):
    path = write_region_file(tmp_path / "regions.yaml", [
        rest_entry("19.71", "http://127.0.0.1:8101", api_key_env=KEY_ENV, options={"page_param": "page"}),
        open311_entry("61.71", "http://127.0.0.1:8102", api_key_env="HUB_TEST_NOT_SET", max_attempts=0),
    ])
    result = check(monkeypatch, path)
    assert result.exit_code == 2, result.output
    output = flat(result.output)
    assert "region 61.71: max_attempts: Input should be greater than or equal to 1" in output
    # Checks past the schema still run for the regions that parsed.
    problems = pytest.raises(RegistryError, parse_registry, {"regions": [
        rest_entry("19.71", "http://127.0.0.1:8101", api_key_env=KEY_ENV, options={"page_param": "page"}),
        open311_entry("61.71", "http://127.0.0.1:8102", api_key_env="HUB_TEST_NOT_SET"),
    ]}, environ={KEY_ENV: "secret"}).value.problems
    assert "region 19.71: options.list_path: Field required" in problems
    assert "region 61.71: credentials.api_key: environment variable HUB_TEST_NOT_SET is not set" in problems


def test_invalid_toml_syntax_names_the_line(tmp_path, monkeypatch, key):
    path = tmp_path / "regions.toml"
    path.write_text(VALID_TOML.replace("[[regions]]", "[[regions]", 1), encoding="utf-8")
    result = check(monkeypatch, path)
    assert result.exit_code == 2, result.output
    assert "not valid TOML" in result.output and "line 1" in flat(result.output)


def test_a_file_without_regions_says_how_to_list_them(tmp_path, monkeypatch):
    path = tmp_path / "regions.toml"
    path.write_text('[region]\ncode = "19.71"\n', encoding="utf-8")
    result = check(monkeypatch, path)
    assert result.exit_code == 2, result.output
    assert "needs a `regions` list ([[regions]] in TOML)" in flat(result.output)


def test_a_yaml_file_is_checked_the_same_way(tmp_path, monkeypatch, key):
    entry = rest_entry("19.71", "http://127.0.0.1:8101", api_key_env=KEY_ENV)
    entry["mapping"]["statuses"]["Diproses"] = "DOING"
    path = write_region_file(tmp_path / "regions.yml", [entry])
    result = check(monkeypatch, path)
    assert result.exit_code == 2, result.output
    assert "region 19.71: mapping.statuses.Diproses:" in flat(result.output)

    path.write_text("regions:\n  - code: 19.71\n    connector: [rest\n", encoding="utf-8")
    result = check(monkeypatch, path)
    assert result.exit_code == 2, result.output
    assert "not valid YML" in result.output


def test_a_missing_file_or_setting_is_named(tmp_path, monkeypatch):
    result = check(monkeypatch, tmp_path / "nowhere.toml")
    assert result.exit_code == 2
    assert "does not exist" in result.output
    monkeypatch.delenv("HUB_REGIONS_FILE")
    result = runner.invoke(app, ["regions", "check"])
    assert result.exit_code == 2
    assert "HUB_REGIONS_FILE is not set" in result.output


def _simulator_file(tmp_path: Path, found) -> Path:
    return write_region_file(tmp_path / "regions.yaml", [
        rest_entry("19.71", found["rest"].base_url, api_key_env=API_KEY_ENV),
        open311_entry("61.71", found["open311"].base_url, api_key_env=API_KEY_ENV),
        csv_entry("64.09", found["csv"].base_url),
    ])


def test_live_check_shows_how_the_first_records_of_each_region_map(tmp_path, monkeypatch):
    with regions(monkeypatch, complaints=12) as (found, _):
        path = _simulator_file(tmp_path, found)
        result = check(monkeypatch, path, "--live")
        assert result.exit_code == 0, result.output
        output = flat(result.output)
        for code, kind in (("19.71", "rest"), ("61.71", "open311"), ("64.09", "csv")):
            assert f"region {code} ({kind}, {found[kind].base_url}):" in output
        assert output.count("12 mapped, 0 rejected on the first page") == 3
        for shown in ('"status": "Belum Diproses -> SUBMITTED"', '"status": "Diverifikasi -> VERIFIED"',
                      '"status": "baru -> SUBMITTED"', '"status": "Menunggu -> SUBMITTED"',
                      '"title": "TPS liar dekat Kelurahan Laksita"', '"category": "ENVIRONMENT"'):
            assert shown in output, shown

        found["rest"].faults(malformed_rate=1.0)
        result = check(monkeypatch, path, "--live")
        assert result.exit_code == 1, result.output
        output = flat(result.output)
        assert "): 0 mapped, 12 rejected on the first page" in output
        assert "rejected 6: field `judul` (title) is missing or empty" in output
        assert "which is not a date in the format %d/%m/%Y %H:%M:%S" in output
        assert output.count("12 mapped, 0 rejected on the first page") == 2  # the other regions are fine


def test_live_check_names_a_region_that_does_not_answer(tmp_path, monkeypatch, key):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    path = write_region_file(tmp_path / "regions.yaml", [
        rest_entry("19.71", f"http://127.0.0.1:{port}", api_key_env=KEY_ENV, max_attempts=1, timeout_seconds=2)])
    result = check(monkeypatch, path, "--live")
    assert result.exit_code == 1, result.output
    assert f"region 19.71: cannot fetch a page from http://127.0.0.1:{port}" in flat(result.output)


def test_the_examples_in_the_region_file_guide_are_valid():
    guide = (Path(__file__).parents[2] / "docs" / "regions.md").read_text(encoding="utf-8")
    toml_blocks = [b for b in re.findall(r"```toml\n(.*?)```", guide, re.S) if "[[regions]]" in b]
    yaml_blocks = re.findall(r"```yaml\n(.*?)```", guide, re.S)
    assert toml_blocks and yaml_blocks
    environ = {"SIPADU_PANGKALPINANG_KEY": "x", "OPEN311_PONTIANAK_KEY": "y"}
    rest = parse_registry(tomllib.loads(toml_blocks[0]), environ=environ)
    assert [(r.code, r.connector) for r in rest.regions] == [("19.71", "rest")]
    others = parse_registry(yaml.safe_load(yaml_blocks[0]), environ=environ)
    assert [(r.code, r.connector) for r in others.regions] == [("61.71", "open311"), ("64.09", "csv")]
    for region, vocabulary in ((rest.regions[0], rest_app.STATUS), (others.regions[0], open311.LOCAL_STATUS),
                               (others.regions[1], csv_app.STATUS)):
        assert set(region.mapping.statuses) == set(vocabulary.values()), region.code
