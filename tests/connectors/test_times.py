"""A region's date format reads every text exactly as ``datetime.strptime`` would."""

from __future__ import annotations

from datetime import datetime

import pytest

from hub.connectors.times import time_parser

TEXTS = {
    "%d/%m/%Y %H:%M:%S": ["01/02/2025 10:11:12", "1/2/2025 1:1:1", "31/02/2025 10:11:12", "01/02/2025 10:11",
                          "01/02/2025 10:11:12 ", "01/02/2025   10:11:12", "01/13/2025 10:11:12",
                          "29/02/2024 23:59:59", " 1/02/2024 23:59:59", "01/02/2025 10:11:60", "2025/02/01 10:11:12"],
    "%d-%m-%Y %H:%M": ["01-02-2025 10:11", "1-2-2025 9:05", "01-02-2025 10:11:00", "01-02-25 10:11"],
    "%Y-%m-%dT%H:%M:%S": ["2025-01-02t10:11:12", "2025-01-02T10:11:12", "2025-01-02 10:11:12"],
    "%Y%m%d": ["20250102", "2025012", "2025-01-02"],
    "%d %B %Y": ["02 January 2025", "02 Januari 2025"],  # month names: left to strptime
}


def _read(parse, text: str) -> datetime | str:
    try:
        return parse(text)
    except ValueError:
        return "refused"


@pytest.mark.parametrize("date_format", sorted(TEXTS))
def test_a_format_reads_as_strptime_does(date_format: str) -> None:
    parse = time_parser(date_format)
    for text in TEXTS[date_format]:
        assert _read(parse, text) == _read(lambda t: datetime.strptime(t, date_format), text), text
