"""Reference data shipped with the package: Indonesia's regions.

``data/regions_id.csv`` holds the 38 provinces and 514 regencies/cities with
their Kemendagri codes (Kepmendagri No 300.2.2-2138 Tahun 2025).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from hub.domain.vocabulary import RegionLevel


@dataclass(frozen=True, slots=True)
class RegionRow:
    code: str
    name: str
    level: RegionLevel
    parent_code: str | None


@lru_cache(maxsize=1)
def region_rows() -> tuple[RegionRow, ...]:
    text = resources.files("hub.store").joinpath("data/regions_id.csv").read_text(encoding="utf-8")
    return tuple(
        RegionRow(
            code=row["code"],
            name=row["name"],
            level=RegionLevel(row["level"].upper()),
            parent_code=row["parent_code"] or None,
        )
        for row in csv.DictReader(io.StringIO(text))
    )


@lru_cache(maxsize=1)
def regions_by_code() -> dict[str, RegionRow]:
    return {row.code: row for row in region_rows()}
