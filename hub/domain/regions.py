"""Kemendagri region codes and the time zone each region keeps.

Codes look like ``61`` (province) or ``61.71`` (regency or city within
province 61). Indonesia has three zones: WIB (UTC+7), WITA (UTC+8) and WIT
(UTC+9); the zone follows the province.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

_CODE = re.compile(r"^\d{2}(\.\d{2})?$")

WIB = ZoneInfo("Asia/Jakarta")  # Waktu Indonesia Barat, UTC+7
WITA = ZoneInfo("Asia/Makassar")  # Waktu Indonesia Tengah, UTC+8
WIT = ZoneInfo("Asia/Jayapura")  # Waktu Indonesia Timur, UTC+9

_WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}

ZONE_ABBREVIATIONS = {WIB.key: "WIB", WITA.key: "WITA", WIT.key: "WIT"}


def is_region_code(code: str) -> bool:
    return bool(_CODE.match(code))


def province_of(code: str) -> str:
    """The province code of any region code (``61.71`` -> ``61``)."""
    return code.split(".", 1)[0]


def timezone_for(code: str) -> ZoneInfo:
    province = province_of(code)
    if province in _WIT_PROVINCES:
        return WIT
    if province in _WITA_PROVINCES:
        return WITA
    return WIB


def zone_abbreviation(code: str) -> str:
    return ZONE_ABBREVIATIONS[timezone_for(code).key]
