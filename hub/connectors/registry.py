"""The region registry: one file listing every connected region.

``HUB_REGIONS_FILE`` points at a TOML or YAML file with a ``regions`` list;
each entry names the region code, connector type, base URL, credentials (by
environment variable name, never inline), schedule and mapping. See
``docs/regions.md`` for an example.

:func:`load_registry` validates everything it can without the network and
raises :class:`RegistryError` listing each problem with the region and field
it concerns.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from hub.connectors.mapping import RecordMapping
from hub.domain.access import HIDDEN_REPORTER
from hub.domain.reference import NATIONAL_CATEGORIES, regions_by_code
from hub.domain.regions import is_region_code


class RegistryError(ValueError):
    """The region file is wrong; ``problems`` lists each as ``region code: field: what``."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{source} has {len(problems)} problem(s):\n" + "\n".join(f"  - {p}" for p in problems))


class Schedule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    interval_seconds: float | None = Field(default=None, gt=0)
    cron: str | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Schedule:
        if (self.interval_seconds is None) == (self.cron is None):
            raise ValueError("give exactly one of interval_seconds or cron")
        if self.cron is not None:
            from apscheduler.triggers.cron import CronTrigger

            try:
                CronTrigger.from_crontab(self.cron)
            except ValueError as exc:
                raise ValueError(f"cron {self.cron!r} is not a crontab expression: {exc}") from None
        return self

    def describe(self) -> str:
        return f"every {self.interval_seconds:g}s" if self.interval_seconds else f"cron {self.cron}"


class RegionConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    connector: str
    base_url: str
    name: str | None = None
    source_system: str = ""  # defaults to "<connector>:<code>"
    enabled: bool = True
    schedule: Schedule = Schedule(interval_seconds=300)
    credentials: dict[str, str] = Field(default_factory=dict, description="credential name -> environment variable")
    options: dict[str, Any] = Field(default_factory=dict)
    mapping: RecordMapping
    hidden_reporter: str = Field(default=HIDDEN_REPORTER, min_length=1, max_length=80,
                                 description="the region's words for a reporter whose identity is withheld")
    page_size: int = Field(default=100, ge=1, le=1000)
    timeout_seconds: float = Field(default=10, gt=0)
    overlap_seconds: float = Field(default=300, ge=0, description="re-read window for clock skew")
    max_attempts: int = Field(default=4, ge=1)
    max_pages_per_run: int = Field(default=100_000, ge=1, description="a run still offered pages after this many fails")
    full_resync_hours: float | None = Field(
        default=24, gt=0, description="re-read everything this often (rejected records, skew past the overlap); null: never"
    )

    @field_validator("code")
    @classmethod
    def _known_code(cls, code: str) -> str:
        if not is_region_code(code) or code not in regions_by_code():
            raise ValueError(f"{code!r} is not a Kemendagri region code in the reference list")
        if regions_by_code()[code].parent_code is None:
            raise ValueError(f"{code!r} is a province; connect a regency or city such as 61.71")
        return code

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"{url!r} is not an http(s) URL")
        return url.rstrip("/")

    @model_validator(mode="after")
    def _defaults(self) -> RegionConfig:
        if not self.source_system:
            self.source_system = f"{self.connector}:{self.code}"
        return self

    def secrets(self, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
        return {name: environ[var] for name, var in self.credentials.items() if var in environ}


class Registry(BaseModel):
    regions: list[RegionConfig]

    def by_code(self) -> dict[str, RegionConfig]:
        return {region.code: region for region in self.regions}


def _read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".yaml", ".yml"):
        return yaml.safe_load(text)
    return tomllib.loads(text)


def _where(raw: Any, loc: tuple[Any, ...]) -> str:
    """``19.71: mapping.statuses.Diproses`` from a pydantic error location."""
    if len(loc) >= 2 and loc[0] == "regions" and isinstance(loc[1], int):
        entries = raw.get("regions", []) if isinstance(raw, dict) else []
        entry = entries[loc[1]] if loc[1] < len(entries) else {}
        code = entry.get("code") if isinstance(entry, dict) else None
        label = f"region {code}" if code else f"region #{loc[1] + 1}"
        rest = ".".join(str(part) for part in loc[2:])
        return f"{label}: {rest}" if rest else label
    return ".".join(str(part) for part in loc) or "file"


def parse_registry(raw: Any, *, source: str = "region file", environ: Mapping[str, str] = os.environ) -> Registry:
    if not isinstance(raw, dict) or "regions" not in raw:
        raise RegistryError(source, ["file: needs a `regions` list ([[regions]] in TOML)"])
    try:
        registry = Registry.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{_where(raw, tuple(err['loc']))}: {err['msg'].removeprefix('Value error, ')}" for err in exc.errors()]
        raise RegistryError(source, problems) from None
    problems = check_semantics(registry, environ=environ)
    if problems:
        raise RegistryError(source, problems)
    return registry


def check_semantics(registry: Registry, *, environ: Mapping[str, str]) -> list[str]:
    from hub.connectors.base import load_connector_type
    from hub.connectors.records import FatalError

    problems: list[str] = []
    categories = {category.code for category in NATIONAL_CATEGORIES}
    seen_codes: set[str] = set()
    seen_systems: set[str] = set()
    for region in registry.regions:
        where = f"region {region.code}"
        if region.code in seen_codes:
            problems.append(f"{where}: code: listed twice")
        seen_codes.add(region.code)
        if region.source_system in seen_systems:
            problems.append(f"{where}: source_system: {region.source_system!r} is used by another region")
        seen_systems.add(region.source_system)
        try:
            connector = load_connector_type(region.connector)
        except FatalError as exc:
            problems.append(f"{where}: connector: {exc}")
        else:
            required: tuple[str, ...] = getattr(connector, "required_credentials", ())
            try:
                options = connector.Options.model_validate(region.options)
            except ValidationError as exc:
                problems += [
                    f"{where}: options.{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
                ]
            else:
                needed = getattr(options, "needed_credentials", None)  # credentials that depend on the options (REST auth)
                if callable(needed):
                    required = tuple(needed())
            problems += [f"{where}: credentials.{name}: required by the {region.connector} connector" for name in required if name not in region.credentials]
        for name, variable in region.credentials.items():
            if variable not in environ:
                problems.append(f"{where}: credentials.{name}: environment variable {variable} is not set")
        for word, code in region.mapping.categories.items():
            if code not in categories:
                problems.append(f"{where}: mapping.categories.{word}: {code!r} is not a national category code")
        for code in region.mapping.category_words:
            if code not in categories:
                problems.append(f"{where}: mapping.category_words.{code}: not a national category code")
        if region.mapping.default_category is not None and region.mapping.default_category not in categories:
            problems.append(f"{where}: mapping.default_category: {region.mapping.default_category!r} is not a national category code")
        if region.mapping.time_zone is not None:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(region.mapping.time_zone)
            except (ZoneInfoNotFoundError, ValueError):
                problems.append(f"{where}: mapping.time_zone: {region.mapping.time_zone!r} is not an IANA time zone")
    return problems


def load_registry(path: str | Path, *, environ: Mapping[str, str] = os.environ) -> Registry:
    path = Path(path)
    if not path.exists():
        raise RegistryError(str(path), [f"file: {path} does not exist"])
    try:
        raw = _read(path)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise RegistryError(str(path), [f"file: not valid {path.suffix.lstrip('.').upper() or 'TOML'}: {exc}"]) from None
    return parse_registry(raw, source=str(path), environ=environ)
