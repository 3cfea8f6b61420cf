"""Fault injection: latency, 5xx answers, HTML pages answered 200 (a
maintenance page, a captive portal), hangs, malformed records, records
repeated across pages and a clock that runs ahead or behind.

Per-request faults (errors, hangs) are drawn at random. Whether a record is
served malformed is decided by a hash of the seed and the record id, so the
same record is malformed on every read while the fault is on, and well-formed
again once it is off. Ground truth never carries faults.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import asdict, dataclass, fields
from typing import Any

MALFORMATIONS = ("missing_field", "bad_date", "unknown_status", "bad_encoding")

_SPEC_KEYS = {
    "latency": "latency_ms",
    "errors": "error_rate",
    "html": "html_rate",
    "hang": "hang_rate",
    "hang_seconds": "hang_seconds",
    "malformed": "malformed_rate",
    "repeat": "repeat_across_pages",
    "skew": "clock_skew_seconds",
}


@dataclass
class FaultConfig:
    latency_ms: int = 0
    error_rate: float = 0.0  # share of requests answered 5xx
    html_rate: float = 0.0  # share of requests answered 200 with an HTML page instead of the API's answer
    hang_rate: float = 0.0  # share of requests that hang past a client timeout
    hang_seconds: float = 30.0
    malformed_rate: float = 0.0  # share of records served malformed
    repeat_across_pages: bool = False  # page N+1 starts with page N's last record
    clock_skew_seconds: int = 0  # the app's clock runs ahead (+) or behind (-)

    def __post_init__(self) -> None:
        for name in ("error_rate", "html_rate", "hang_rate", "malformed_rate"):
            value = float(getattr(self, name))
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
            setattr(self, name, value)
        if self.latency_ms < 0 or self.hang_seconds < 0:
            raise ValueError("latency_ms and hang_seconds must not be negative")
        self.repeat_across_pages = bool(self.repeat_across_pages)

    @classmethod
    def parse(cls, spec: str | None) -> FaultConfig:
        """``latency=200,errors=0.2,html=0.1,hang=0.05,malformed=0.05,repeat=1,skew=-300``."""
        values: dict[str, Any] = {}
        for part in filter(None, (p.strip() for p in (spec or "").split(","))):
            key, _, raw = part.partition("=")
            name = _SPEC_KEYS.get(key.strip())
            if name is None or not raw:
                raise ValueError(f"fault {part!r} is not one of {', '.join(f'{k}=VALUE' for k in _SPEC_KEYS)}")
            try:
                values[name] = int(raw) if name in ("latency_ms", "clock_skew_seconds") else (
                    raw.strip().lower() in ("1", "true", "yes", "on") if name == "repeat_across_pages" else float(raw)
                )
            except ValueError:
                raise ValueError(f"fault {key}={raw!r} needs a number") from None
        return cls(**values)

    def merged(self, changes: dict[str, Any]) -> FaultConfig:
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown fault field(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
        return FaultConfig(**{**asdict(self), **changes})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Faults:
    """The faults in force, with the random source that draws them."""

    def __init__(self, config: FaultConfig, seed: int) -> None:
        self.config = config
        self.seed = seed
        self.rng = random.Random(seed)

    def draw_error(self) -> bool:
        return self.config.error_rate > 0 and self.rng.random() < self.config.error_rate

    def draw_html(self) -> bool:
        return self.config.html_rate > 0 and self.rng.random() < self.config.html_rate

    def draw_hang(self) -> bool:
        return self.config.hang_rate > 0 and self.rng.random() < self.config.hang_rate

    def malformation(self, record_id: int) -> str | None:
        """How record ``record_id`` is served malformed, or None."""
        if self.config.malformed_rate <= 0:
            return None
        digest = hashlib.sha256(f"{self.seed}:{record_id}".encode()).digest()
        share = int.from_bytes(digest[:8], "big") / 2**64
        if share >= self.config.malformed_rate:
            return None
        return MALFORMATIONS[digest[8] % len(MALFORMATIONS)]
