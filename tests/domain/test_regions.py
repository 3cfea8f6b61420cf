from __future__ import annotations

import pytest

from hub.domain.regions import WIB, WIT, WITA, is_region_code, province_of, timezone_for, zone_abbreviation

WIB_PROVINCES = ["11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
                 "31", "32", "33", "34", "35", "36", "61", "62"]
WITA_PROVINCES = ["51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"]
WIT_PROVINCES = ["81", "82", "91", "92", "93", "94", "95", "96"]


@pytest.mark.parametrize(
    ("code", "zone", "abbreviation"),
    [
        ("19.71", WIB, "WIB"),  # Kota Pangkal Pinang
        ("61.71", WIB, "WIB"),  # Kota Pontianak
        ("31.71", WIB, "WIB"),  # Jakarta Pusat
        ("64.09", WITA, "WITA"),  # Kalimantan Timur
        ("51.71", WITA, "WITA"),  # Kota Denpasar
        ("73.71", WITA, "WITA"),  # Kota Makassar
        ("91.71", WIT, "WIT"),  # Kota Jayapura
        ("81.71", WIT, "WIT"),  # Kota Ambon
    ],
)
def test_regency_zone_follows_its_province(code: str, zone: object, abbreviation: str) -> None:
    assert timezone_for(code) is zone
    assert zone_abbreviation(code) == abbreviation


def test_all_38_provinces_have_the_right_zone() -> None:
    assert len(WIB_PROVINCES + WITA_PROVINCES + WIT_PROVINCES) == 38
    assert all(timezone_for(p) is WIB for p in WIB_PROVINCES)
    assert all(timezone_for(p) is WITA for p in WITA_PROVINCES)
    assert all(timezone_for(p) is WIT for p in WIT_PROVINCES)


def test_zone_offsets() -> None:
    from datetime import datetime, timedelta

    moment = datetime(2026, 1, 1)
    assert [z.utcoffset(moment) for z in (WIB, WITA, WIT)] == [timedelta(hours=h) for h in (7, 8, 9)]


def test_province_of() -> None:
    assert province_of("61.71") == "61"
    assert province_of("64.09") == "64"
    assert province_of("61") == "61"


@pytest.mark.parametrize("code", ["61", "61.71", "91.01"])
def test_region_codes_are_recognised(code: str) -> None:
    assert is_region_code(code)


@pytest.mark.parametrize("code", ["", "6", "617", "61.7", "61.710", "61-71", "61.71.01", "ab.cd", " 61.71", "61."])
def test_non_region_codes_are_refused(code: str) -> None:
    assert not is_region_code(code)
