"""National tracking ids: ``LPR-<year>-<7 digits>``.

The number comes from a store sequence that never goes back, so an id is
never reused, even after a complaint is merged or archived.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^LPR-(\d{4})-(\d{7})$")
MAX_NUMBER = 9_999_999


class InvalidTrackingId(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class TrackingId:
    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= MAX_NUMBER:
            raise InvalidTrackingId(f"tracking number {self.number} is outside 1..{MAX_NUMBER}")

    def __str__(self) -> str:
        return f"LPR-{self.year:04d}-{self.number:07d}"

    @classmethod
    def parse(cls, text: str) -> TrackingId:
        match = _PATTERN.match(text.strip())
        if not match:
            raise InvalidTrackingId(f"{text!r} is not a tracking id of the form LPR-2025-0000123")
        return cls(int(match.group(1)), int(match.group(2)))


def format_tracking_id(year: int, number: int) -> str:
    return str(TrackingId(year, number))


def is_tracking_id(text: str) -> bool:
    return bool(_PATTERN.match(text.strip()))
