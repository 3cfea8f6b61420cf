"""Date windows: how ``start_date`` and ``end_date`` select requests and updates.

Both ends are inclusive and compared to the second, as a client sees a
served timestamp: a client that moves a window's end to the oldest
``requested_datetime`` it was served sees that second again, never skips it.
A server without paging also applies the spec's default (the most recent
``window_days``) and refuses a wider window with 400.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.simulators.open311.wire import Call, Open311Error, parse_time
from hub.simulators.store import iso_seconds


@dataclass(frozen=True)
class Window:
    start: datetime | None
    end: datetime | None

    @property
    def first_second(self) -> str | None:
        return iso_seconds(self.start) if self.start else None

    @property
    def last_second(self) -> str | None:
        return iso_seconds(self.end) if self.end else None

    def holds(self, stamp: datetime) -> bool:
        second = iso_seconds(stamp)
        return (self.start is None or second >= iso_seconds(self.start)) and (self.end is None or second <= iso_seconds(self.end))


def given_window(call: Call) -> Window:
    """``start_date`` .. ``end_date`` as given; either may be open."""
    start = parse_time(raw, "start_date") if (raw := call.param("start_date")) else None
    end = parse_time(raw, "end_date") if (raw := call.param("end_date")) else None
    if start and end and end < start:
        raise Open311Error(400, "end_date must not be before start_date")
    return Window(start, end)


def bounded_window(call: Call, *, now: datetime, days: int) -> Window:
    """The window a server without paging serves: the last ``days`` by default, never wider than ``days``."""
    given = given_window(call)
    span = timedelta(days=days)
    start, end = given.start, given.end
    if start is None and end is None:
        end = now
    if start is None:
        assert end is not None
        start = end - span
    if end is None:
        end = start + span
    if end - start > span:
        raise Open311Error(400, f"start_date and end_date may not span more than {days} days")
    return Window(start, end)
