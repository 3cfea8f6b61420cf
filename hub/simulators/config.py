"""How a simulator is set up."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from hub.domain.reference import regions_by_code
from hub.simulators.faults import FaultConfig
from hub.simulators.habits import RestHabits
from hub.simulators.open311.habits import Open311Habits

Kind = Literal["rest", "open311", "csv"]
KINDS: tuple[Kind, ...] = ("rest", "open311", "csv")


def kind_of(text: str) -> Kind:
    """The simulator kind ``text`` names, or ValueError."""
    for kind in KINDS:
        if kind == text:
            return kind
    raise ValueError(f"unknown simulator kind {text!r}; choose one of {', '.join(KINDS)}")


@dataclass
class SimulatorConfig:
    kind: Kind
    region_code: str
    seed: int = 1
    complaints: int = 50
    activity: float = 0.0  # activity steps per second; 0 = quiet
    db_path: str | None = None  # None: in memory
    faults: FaultConfig = field(default_factory=FaultConfig)
    api_key: str = "sim-key"  # X-API-Key, bearer token or ?api_key=, as the auth habit says
    username: str = "sim-user"  # HTTP basic auth (rest with auth="basic")
    password: str = "sim-password"
    habits: RestHabits = field(default_factory=RestHabits)  # rest only
    reference_now: datetime | None = None  # seed data ends here; default: now, to the minute
    open311: Open311Habits = field(default_factory=Open311Habits)  # how an open311 simulator behaves; others ignore it

    def __post_init__(self) -> None:
        kind_of(self.kind)
        region = regions_by_code().get(self.region_code)
        if region is None:
            raise ValueError(f"{self.region_code!r} is not a Kemendagri region code (e.g. 61.71)")
        if region.parent_code is None:
            raise ValueError(f"{self.region_code} is a province; simulate a regency or city such as 61.71")
        if self.kind != "rest" and self.habits != RestHabits():
            raise ValueError(f"paging, order, auth, flags, privacy and dialect are habits of the rest simulator, not {self.kind}")
        if self.complaints < 0 or self.activity < 0:
            raise ValueError("complaints and activity must not be negative")
        if self.reference_now is None:
            self.reference_now = datetime.now(UTC).replace(second=0, microsecond=0)
