"""What a value given by a caller may be: clean text of a bounded length, a place
inside Indonesia, a number in its range, a key the database can hold.

The schema declares a bound on an argument or input field with
:func:`bounded`; :mod:`hub.schema.input_guard` applies it (and the rules for
all text) to every operation before it runs, so a bad value is a validation
error and never reaches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

BOUNDS = "hub.bounds"  # the key of a Bounds in a strawberry field's or argument's metadata

MAX_TEXT = 5000  # characters of any string a caller sends, unless its field says fewer
MAX_ID = 200  # characters of any ID
MAX_KEY = 2**63 - 1  # the largest row key (BIGINT)


@dataclass(frozen=True, slots=True)
class Bounds:
    """Bounds of one value: text length, or a closed numeric range with what it means."""

    max_length: int | None = None
    low: float | None = None
    high: float | None = None
    meaning: str | None = None  # e.g. "inside Indonesia (latitude -11 to 6.5)"

    def problem(self, value: Any) -> str | None:
        if self.max_length is not None and isinstance(value, str) and len(value) > self.max_length:
            return f"is longer than {self.max_length} characters"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
                return f"must be {self.meaning or f'between {_number(self.low)} and {_number(self.high)}'}, got {value}"
        return None


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def bounded(max_length: int | None = None, *, low: float | None = None, high: float | None = None,
            meaning: str | None = None) -> dict[str, Bounds]:
    """Metadata for ``strawberry.field`` / ``strawberry.argument`` that bounds its value."""
    return {BOUNDS: Bounds(max_length=max_length, low=low, high=high, meaning=meaning)}


# Indonesia from Sabang to Merauke, Miangas to Rote, with a margin for its waters
LATITUDE = Bounds(low=-11.0, high=6.5, meaning="inside Indonesia (latitude -11 to 6.5)")
LONGITUDE = Bounds(low=94.0, high=141.5, meaning="inside Indonesia (longitude 94 to 141.5)")


def lone_surrogate(text: str) -> bool:
    """True when ``text`` holds half of a UTF-16 pair: not Unicode text, cannot be stored or sent."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def text_problem(text: str) -> str | None:
    """What makes ``text`` unfit to store, whatever its field: NUL, a lone surrogate."""
    if "\x00" in text:
        return "holds a NUL character"
    if lone_surrogate(text):
        return "holds a lone surrogate; text must be valid Unicode"
    return None


def row_key(text: str) -> int | None:
    """The row key ``text`` names (ASCII digits, 1 to :data:`MAX_KEY`), else None."""
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    key = int(text)
    return key if 1 <= key <= MAX_KEY else None
