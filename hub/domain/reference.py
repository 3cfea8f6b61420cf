"""Reference data shipped with the package: Indonesia's regions and the national categories.

``data/regions_id.csv`` holds the 38 provinces and 514 regencies/cities with
their Kemendagri codes (Kepmendagri No 300.2.2-2138 Tahun 2025).

Pure data, read by connectors (validating a region file), the simulators (naming
their region) and the store (migration 0002 writes these rows into the
``regions`` and ``categories`` tables); nothing here touches a database.
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
    text = resources.files("hub.domain").joinpath("data/regions_id.csv").read_text(encoding="utf-8")
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


@dataclass(frozen=True, slots=True)
class CategoryRow:
    code: str
    name: str  # the Indonesian name regional admins know
    resolve_days: int | None = None  # None: the default resolution period


# National categories, modelled on the SP4N-LAPOR! topic list.
NATIONAL_CATEGORIES: tuple[CategoryRow, ...] = (
    CategoryRow("INFRASTRUCTURE", "Infrastruktur dan Pekerjaan Umum"),
    CategoryRow("ROADS", "Jalan dan Jembatan", 14),
    CategoryRow("WATER", "Air Bersih dan Sanitasi", 14),
    CategoryRow("ELECTRICITY", "Listrik dan Penerangan Jalan", 5),
    CategoryRow("HEALTH", "Kesehatan", 14),
    CategoryRow("EDUCATION", "Pendidikan"),
    CategoryRow("CIVIL_REGISTRY", "Administrasi Kependudukan", 5),
    CategoryRow("SOCIAL_ASSISTANCE", "Bantuan Sosial"),
    CategoryRow("ENVIRONMENT", "Lingkungan Hidup dan Kebersihan", 14),
    CategoryRow("TRANSPORT", "Perhubungan dan Transportasi"),
    CategoryRow("PUBLIC_ORDER", "Ketertiban Umum", 5),
    CategoryRow("EMPLOYMENT", "Ketenagakerjaan"),
    CategoryRow("LICENSING", "Perizinan dan Investasi"),
    CategoryRow("CIVIL_SERVICE", "Kepegawaian dan Aparatur"),
    CategoryRow("DISASTER", "Penanggulangan Bencana", 2),
    CategoryRow("OTHER", "Lainnya"),
)
