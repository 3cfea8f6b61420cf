from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from hub.domain.calendar import WorkingDayCalendar, default_calendar
from hub.domain.regions import WIB, WITA

CAL = default_calendar()


def test_friday_plus_one_working_day_is_monday() -> None:
    assert CAL.add_working_days(date(2026, 7, 10), 1) == date(2026, 7, 13)


def test_weekend_days_are_not_working_days() -> None:
    assert not CAL.is_working_day(date(2026, 7, 11))
    assert not CAL.is_working_day(date(2026, 7, 12))
    assert CAL.is_working_day(date(2026, 7, 13))


def test_independence_day_is_skipped() -> None:
    # 2026-08-14 is a Friday; Monday 17 August is Hari Kemerdekaan.
    assert not CAL.is_working_day(date(2026, 8, 17))
    assert CAL.add_working_days(date(2026, 8, 14), 1) == date(2026, 8, 18)


def test_eid_al_fitr_collective_leave_is_skipped() -> None:
    # Nyepi (18-19 March), Eid al-Fitr with its cuti bersama (20-24 March) and a weekend.
    for day in range(18, 25):
        assert not CAL.is_working_day(date(2026, 3, day)), day
    assert CAL.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)


def test_collective_leave_can_be_left_out() -> None:
    public_only = WorkingDayCalendar(include_collective_leave=False)
    assert public_only.is_working_day(date(2026, 3, 23))  # cuti bersama, not a public holiday
    assert not public_only.is_working_day(date(2026, 3, 19))  # Nyepi itself


def test_holiday_name_is_given() -> None:
    assert CAL.holiday_name(date(2026, 8, 17)) == "Independence Day"
    assert CAL.holiday_name(date(2026, 8, 18)) is None


def test_zero_days_is_the_start_day_and_negative_is_refused() -> None:
    assert CAL.add_working_days(date(2026, 7, 11), 0) == date(2026, 7, 11)
    with pytest.raises(ValueError, match="negative"):
        CAL.add_working_days(date(2026, 7, 10), -1)


def test_working_days_between_skips_weekend_and_holiday() -> None:
    # Fri 14 Aug -> Fri 21 Aug 2026: Tue..Fri (Mon 17 is a holiday).
    assert CAL.working_days_between(date(2026, 8, 14), date(2026, 8, 21)) == 4
    assert CAL.working_days_between(date(2026, 7, 10), date(2026, 7, 10)) == 0
    assert CAL.working_days_between(date(2026, 7, 13), date(2026, 7, 10)) == 0


def test_working_days_between_undoes_add_working_days() -> None:
    start = date(2026, 3, 2)
    for n in (1, 3, 5, 14, 60):
        assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


def test_deadline_ends_at_end_of_local_day_and_keeps_zone() -> None:
    filed = datetime(2026, 7, 10, 9, 30, tzinfo=WITA)  # Friday morning in Makassar
    due = CAL.deadline(filed, 1)
    assert due.date() == date(2026, 7, 13)
    assert due.time() == time.max
    assert due.tzinfo is WITA
    assert due.utcoffset() == timedelta(hours=8)


def test_deadline_counts_from_the_local_date_not_utc() -> None:
    # 23:30 WIB on Friday is still Friday locally (16:30 UTC), so +1 is Monday.
    filed = datetime(2026, 7, 10, 23, 30, tzinfo=WIB)
    assert CAL.deadline(filed, 1) == datetime.combine(date(2026, 7, 13), time.max, tzinfo=WIB)
    assert filed.astimezone(UTC).date() == date(2026, 7, 10)
