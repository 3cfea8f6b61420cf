"""Working days (hari kerja): weekdays that are not Indonesian public holidays
or collective leave days (cuti bersama).

Holidays come from the ``holidays`` package: its ``public`` category holds the
national holidays and its ``government`` category the collective leave days.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays


class WorkingDayCalendar:
    _MEMO_LIMIT = 50_000

    def __init__(self, *, include_collective_leave: bool = True) -> None:
        categories = ("public", "government") if include_collective_leave else ("public",)
        self._holidays = holidays.Indonesia(categories=categories)
        self._added: dict[tuple[date, int], date] = {}  # sync and seeding ask the same questions often

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def holiday_name(self, day: date) -> str | None:
        return self._holidays.get(day)

    def add_working_days(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start`` (start itself not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        known = self._added.get((start, days))
        if known is not None:
            return known
        current = start
        remaining = days
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        if len(self._added) >= self._MEMO_LIMIT:
            self._added.clear()
        self._added[(start, days)] = current
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        count, current = 0, start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count

    def deadline(self, start: datetime, days: int) -> datetime:
        """End of the working day that falls ``days`` working days after ``start``.

        The result keeps ``start``'s time zone, so a deadline counted from a
        complaint filed in Makassar (WITA) ends at midnight WITA.
        """
        due_day = self.add_working_days(start.date(), days)
        return datetime.combine(due_day, time.max, tzinfo=start.tzinfo)


@lru_cache(maxsize=1)
def default_calendar() -> WorkingDayCalendar:
    return WorkingDayCalendar()
