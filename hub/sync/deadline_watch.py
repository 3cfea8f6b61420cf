"""Running the deadline job every minute at a cost that does not grow with the record.

A complaint can only become due (an answer window ended, a deadline
breached) when the clock passes one of its due dates, or when it is new.
So after a run that handled everything, the next one looks only at
complaints whose due date fell between the two runs, or whose id is above
the highest id seen then: index range scans on the due-date columns and the
primary key, empty on an idle hub however many complaints it holds.

Margins and the safety net: the window starts :data:`MARGIN` before the last
run and at the highest id seen two runs back (an insert committed late still
falls inside). A due date moved into the past by a later change is caught by
the full sweep, the job as it was, run at start-up, every
:data:`SWEEP_EVERY`, and whenever a batch was full.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.domain.escalation import EscalationPolicy
from hub.domain.sla import ServiceLevels
from hub.store.models import Complaint
from hub.sync.deadlines_job import DeadlineReport, Window, run_deadlines
from hub.sync.locks import region_lock

MARGIN = timedelta(minutes=5)
SWEEP_EVERY = timedelta(hours=1)


class DeadlineWatch:
    """One per process; remembers how far its last complete run got."""

    def __init__(self, engine: AsyncEngine, *, levels: ServiceLevels, escalation: EscalationPolicy | None = None) -> None:
        self.engine, self.levels, self.escalation = engine, levels, escalation
        self.last_run: datetime | None = None
        self.last_sweep: datetime | None = None
        self._ids: deque[int] = deque(maxlen=2)  # the highest complaint id at the last runs

    def window(self, now: datetime) -> Window | None:
        """What the next run needs to look at; ``None``: everything (a full sweep)."""
        if self.last_run is None or self.last_sweep is None or now - self.last_sweep >= SWEEP_EVERY or not self._ids:
            return None
        return Window(since=self.last_run - MARGIN, after_id=self._ids[0])

    async def run(self, now: datetime) -> DeadlineReport | None:
        """The scheduler's entry: one hub process at a time runs it (others skip this minute)."""
        async with region_lock(self.engine, "deadlines") as lease:
            if lease is None:
                return None
            async with self.engine.connect() as connection:
                highest = (await connection.execute(select(func.coalesce(func.max(Complaint.id), 0)))).scalar_one()
            window = self.window(now)
            report = await run_deadlines(self.engine, levels=self.levels, now=now, window=window,
                                         escalation=self.escalation)
            if report.full:  # more than one batch was due: look at everything again next time
                self.last_sweep = None
                return report
            self._ids.append(highest)
            self.last_run = now
            if window is None:
                self.last_sweep = now
            return report
