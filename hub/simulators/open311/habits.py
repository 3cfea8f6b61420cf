"""Habits of deployed GeoReport v2 servers that an Open311 simulator can show.

Each habit is a field of :class:`Open311Habits`; they combine freely. A
*flavour* names a set of them (``hub simulate open311 --flavour mysociety``),
``--habits key=value,...`` sets single ones on top, and ``PUT /_admin/habits``
changes them while the server runs. The defaults are the simulator as it
always was (JSON and XML, extension paging, read-only updates), so anything
built against it keeps working. See ``docs/simulators.md``.

- ``formats``: ``json+xml``, or ``xml`` only (the spec's required format;
  ``.json`` answers 404 with an XML error);
- ``paging``: ``extension`` (``page``, ``page_size``, ``updated_after``), or
  ``none``: those are ignored, ``GET requests`` serves the requests whose
  ``requested_datetime`` lies in ``start_date``..``end_date`` (default: the
  last ``window_days``), newest first, at most ``cap`` of them;
- ``jurisdiction_id``: when set, every call must carry exactly this id;
- ``sparse_rate``: this share of requests is served with ``description`` and
  ``updated_datetime`` empty and the optional fields left out;
- ``updates``: ``absent`` (``servicerequestupdates`` answers 404), ``read``
  (GET only), or ``mysociety`` (GET by date window and POST, extended statuses);
- ``hidden_requests``: ids of requests taken out of public view (spam, a
  privacy request): ``GET requests/{id}`` answers 404 and lists leave them
  out, while ``servicerequestupdates`` still names their updates (set with
  ``PUT /_admin/habits`` or in Python; no ``--habits`` key).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

FORMATS = ("json+xml", "xml")
PAGING = ("extension", "none")
UPDATES = ("absent", "read", "mysociety")

_SPEC_KEYS = {
    "formats": "formats",
    "paging": "paging",
    "window": "window_days",
    "cap": "cap",
    "jurisdiction": "jurisdiction_id",
    "sparse": "sparse_rate",
    "updates": "updates",
}


@dataclass
class Open311Habits:
    formats: str = "json+xml"
    paging: str = "extension"
    window_days: int = 90  # with paging none: the default window, and the widest one a client may ask for
    cap: int = 1000  # with paging none: the most requests one answer holds
    jurisdiction_id: str | None = None  # set: required on every call; None: optional, the region's own is accepted
    sparse_rate: float = 0.0
    updates: str = "read"
    hidden_requests: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.hidden_requests, str | bytes) or not all(
                isinstance(i, int) and not isinstance(i, bool) for i in self.hidden_requests):
            raise ValueError(f"habit hidden_requests must be a list of request ids, not {self.hidden_requests!r}")
        self.hidden_requests = tuple(self.hidden_requests)
        for name, allowed in (("formats", FORMATS), ("paging", PAGING), ("updates", UPDATES)):
            if getattr(self, name) not in allowed:
                raise ValueError(f"habit {name} must be one of {', '.join(allowed)}, not {getattr(self, name)!r}")
        for name in ("window_days", "cap"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"habit {name} must be a whole number of at least 1, not {value!r}")
        if isinstance(self.sparse_rate, bool) or not isinstance(self.sparse_rate, int | float) \
                or not 0.0 <= self.sparse_rate <= 1.0:
            raise ValueError(f"habit sparse_rate must be between 0 and 1, not {self.sparse_rate!r}")
        self.sparse_rate = float(self.sparse_rate)
        if self.jurisdiction_id is not None and (not isinstance(self.jurisdiction_id, str) or not self.jurisdiction_id.strip()):
            raise ValueError("habit jurisdiction_id must be a non-empty string such as pontianak.go.id, or null")

    @classmethod
    def flavour(cls, name: str | None) -> Open311Habits:
        if not name:
            return cls()
        try:
            return cls(**FLAVOURS[name])
        except KeyError:
            raise ValueError(f"unknown Open311 flavour {name!r}; choose one of {', '.join(FLAVOURS)}") from None

    @classmethod
    def parse(cls, spec: str | None, *, flavour: str | None = None) -> Open311Habits:
        """``formats=xml,paging=none,window=90,cap=1000,jurisdiction=pontianak.go.id,sparse=0.2,updates=mysociety``,
        on top of ``flavour``."""
        base = cls.flavour(flavour)
        changes: dict[str, Any] = {}
        for part in filter(None, (p.strip() for p in (spec or "").split(","))):
            key, _, raw = part.partition("=")
            name = _SPEC_KEYS.get(key.strip())
            raw = raw.strip()
            if name is None or not raw:
                raise ValueError(f"habit {part!r} is not one of {', '.join(f'{k}=VALUE' for k in _SPEC_KEYS)}")
            try:
                changes[name] = int(raw) if name in ("window_days", "cap") else float(raw) if name == "sparse_rate" else raw
            except ValueError:
                raise ValueError(f"habit {key}={raw!r} needs a number") from None
        return base.merged(changes)

    def merged(self, changes: dict[str, Any]) -> Open311Habits:
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown habit field(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
        return Open311Habits(**{**asdict(self), **changes})

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "hidden_requests": list(self.hidden_requests)}


# Named sets of habits, each standing for a kind of server found in the field.
FLAVOURS: dict[str, dict[str, Any]] = {
    # The simulator as it has always been: JSON and XML, paging by extension, read-only updates.
    "default": {},
    # A plain GeoReport v2 server: XML only, no paging (a 90-day window, 1000 at most), no updates extension.
    "georeport": {"formats": "xml", "paging": "none", "updates": "absent"},
    # A server built on mySociety's open311-adapter: JSON and XML, no paging, updates read and written.
    "mysociety": {"paging": "none", "updates": "mysociety"},
    # An old municipal system: XML only, no paging, no updates, and gaps in what it holds.
    "legacy": {"formats": "xml", "paging": "none", "updates": "absent", "sparse_rate": 0.2},
}
