"""Habits of the custom regional REST apps that really exist, as switches of
the ``rest`` simulator.

Each habit is one field with a small vocabulary; they combine freely. The
defaults are the SIPADU app the hub first spoke to: page numbers, oldest
first, an ``X-API-Key`` header, JSON booleans, no confidentiality mark and
the ``sipadu`` write dialect. See ``docs/simulators.md`` for what each value
looks like on the wire.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

Paging = Literal["page", "offset", "cursor", "link", "none"]
Order = Literal["oldest", "newest"]
Auth = Literal["header", "bearer", "basic", "query"]
Flags = Literal["boolean", "true-false", "ya-tidak", "1-0"]
Privacy = Literal["none", "word", "flag"]
Dialect = Literal["sipadu", "aduan"]

CHOICES: dict[str, tuple[str, ...]] = {
    # how a listing says where the next records are
    "paging": ("page", "offset", "cursor", "link", "none"),
    # listing order by update time: oldest first or newest first
    "order": ("oldest", "newest"),
    # how a caller proves who it is
    "auth": ("header", "bearer", "basic", "query"),
    # words for yes/no: the reporter-anonymous flag (anonim) and the confidential flag (rahasia)
    "flags": ("boolean", "true-false", "ya-tidak", "1-0"),
    # whether and how a confidential complaint (laporan rahasia) is marked
    "privacy": ("none", "word", "flag"),
    # field names and endpoints of the writes
    "dialect": ("sipadu", "aduan"),
}


@dataclass(frozen=True)
class RestHabits:
    paging: Paging = "page"
    order: Order = "oldest"
    auth: Auth = "header"
    flags: Flags = "boolean"
    privacy: Privacy = "none"
    dialect: Dialect = "sipadu"

    def __post_init__(self) -> None:
        for name, allowed in CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                raise ValueError(f"{name} {value!r} is not one of {', '.join(allowed)}")

    def merged(self, changes: dict[str, Any]) -> RestHabits:
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise ValueError(f"unknown habit(s) {', '.join(sorted(unknown))}; known: {', '.join(CHOICES)}")
        return RestHabits(**{**asdict(self), **changes})

    def to_dict(self) -> dict[str, str]:
        return asdict(self)
