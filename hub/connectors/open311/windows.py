"""Reading a GeoReport server that does not page: windows on ``requested_datetime``.

GeoReport v2 has no paging. Deployed servers answer ``GET requests`` with
the requests whose ``requested_datetime`` lies in ``start_date`` ..
``end_date`` (by default the last 90 days, never a wider window), cut to a
*cap* (commonly 1000). A client reads everything by walking windows
backwards from now:

- an answer below the cap holds the whole window: the next window is the
  ``window_days`` before it;
- an answer that reaches the cap is cut: when it came newest first, the
  window's end moves to the oldest ``requested_datetime`` served (that second
  is read again; re-reading is harmless), else the window is halved and both
  halves are read;
- the walk stops at the *floor*: the cursor's ``since`` on an incremental
  run of a server with a change feed, the region's ``history_from``, or after
  ``empty_windows_to_stop`` windows in a row held nothing.

A capped answer that would not narrow the window (more than ``cap``
requests in one second, or a server that ignores ``start_date`` /
``end_date``) ends the run with an error that says so.

The state lives in the cursor as plain JSON (:class:`Walk`), so a run stopped
between two pages resumes where it was.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from hub.connectors.records import FatalError


@dataclass
class Walk:
    pending: list[list[str]]  # windows still to read; the last one is read next
    reach: str  # start of the oldest window begun so far
    floor: str | None  # stop once a window starts at or before this
    days: float
    stop_after_empty: int
    empty: int = 0  # whole windows in a row that held nothing
    span_seen: int = 0  # requests served in the window being walked (its halves included)
    previous: list[str] = field(default_factory=list)  # ids of the last capped answer

    @classmethod
    def begin(cls, now: datetime, *, days: float, floor: datetime | None, stop_after_empty: int) -> Walk:
        end = now + timedelta(hours=1)  # a server clock a little ahead still has its newest requests read
        start = end - timedelta(days=days)
        if floor is not None and floor > start:
            start = min(floor, end)
        return cls(pending=[[start.isoformat(), end.isoformat()]], reach=start.isoformat(),
                   floor=floor.isoformat() if floor else None, days=days, stop_after_empty=stop_after_empty)

    @classmethod
    def load(cls, state: dict[str, Any]) -> Walk:
        return cls(**state)

    def dump(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def done(self) -> bool:
        return not self.pending

    def current(self) -> tuple[datetime, datetime]:
        start, end = self.pending[-1]
        return datetime.fromisoformat(start), datetime.fromisoformat(end)

    def advance(self, region: str, requested: list[datetime], ids: list[str], *, cap: int) -> None:
        """Account for the answer to the current window: ``requested`` and ``ids`` in the order served."""
        start, end = self.current()
        self.pending.pop()
        self.span_seen += len(ids)
        if len(ids) >= cap:
            self._split(region, start, end, requested, ids)
            return
        self.previous = []
        if self.pending:
            return
        self.empty = self.empty + 1 if self.span_seen == 0 else 0
        self.span_seen = 0
        reach = datetime.fromisoformat(self.reach)
        if (self.floor is not None and reach <= datetime.fromisoformat(self.floor)) or self.empty >= self.stop_after_empty:
            return
        earlier = reach - timedelta(days=self.days)
        if self.floor is not None:
            earlier = max(earlier, datetime.fromisoformat(self.floor))
        self.pending.append([earlier.isoformat(), reach.isoformat()])
        self.reach = earlier.isoformat()

    def _split(self, region: str, start: datetime, end: datetime, requested: list[datetime], ids: list[str]) -> None:
        if sorted(ids) == sorted(self.previous):
            raise FatalError(
                f"region {region}: requests for {start.isoformat()} .. {end.isoformat()} returned the same {len(ids)} "
                "requests as the answer before; the server ignores start_date/end_date or holds more than its cap "
                "in one second, so the run stops here")
        self.previous = list(ids)
        newest_first = all(a >= b for a, b in zip(requested, requested[1:], strict=False))
        oldest = min(requested) if requested else start
        if newest_first and oldest > start:
            self.pending.append([start.isoformat(), oldest.isoformat()])
            return
        if end - start <= timedelta(seconds=1):
            raise FatalError(
                f"region {region}: more than {len(ids)} requests were made at {start.isoformat()}, more than the "
                "server answers at once; they cannot all be read")
        middle = start + (end - start) / 2
        self.pending.append([start.isoformat(), middle.isoformat()])
        self.pending.append([middle.isoformat(), end.isoformat()])
