from __future__ import annotations

from datetime import date, datetime, time

import pytest

from hub.domain.regions import WIB, WITA
from hub.domain.sla import Milestones, ServiceLevels, evaluate, is_breached


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


def end_of(y: int, m: int, d: int) -> datetime:
    return datetime.combine(date(y, m, d), time.max, tzinfo=WIB)


FRIDAY = at(2026, 7, 10)  # an ordinary Friday


def test_verify_due_three_working_days_across_a_weekend() -> None:
    state = evaluate(Milestones(submitted_at=FRIDAY), now=FRIDAY)
    assert state.verify_due == end_of(2026, 7, 15)  # Mon, Tue, Wed


def test_verify_due_skips_independence_day() -> None:
    # Thu 13 Aug 2026 -> Fri 14, (weekend, Mon 17 holiday) Tue 18, Wed 19.
    state = evaluate(Milestones(submitted_at=at(2026, 8, 13)), now=at(2026, 8, 13))
    assert state.verify_due == end_of(2026, 8, 19)


def test_verify_due_skips_eid_collective_leave() -> None:
    # Tue 17 Mar 2026; 18-24 March are Nyepi, Eid al-Fitr, cuti bersama and a weekend.
    state = evaluate(Milestones(submitted_at=at(2026, 3, 17)), now=at(2026, 3, 17))
    assert state.verify_due == end_of(2026, 3, 27)  # Wed 25, Thu 26, Fri 27


def test_verify_due_keeps_the_complaints_local_zone() -> None:
    filed = datetime(2026, 7, 10, 9, 0, tzinfo=WITA)
    state = evaluate(Milestones(submitted_at=filed), now=filed)
    assert state.verify_due == datetime.combine(date(2026, 7, 15), time.max, tzinfo=WITA)


def test_postponed_days_extend_verification() -> None:
    state = evaluate(Milestones(submitted_at=FRIDAY, postponed_working_days=2), now=FRIDAY)
    assert state.verify_due == end_of(2026, 7, 17)


def test_follow_up_due_five_working_days_after_disposition() -> None:
    m = Milestones(submitted_at=FRIDAY, verified_at=at(2026, 7, 13), dispositioned_at=at(2026, 7, 14))
    assert evaluate(m, now=at(2026, 7, 14)).follow_up_due == end_of(2026, 7, 21)


def test_no_follow_up_or_answer_due_before_disposition_or_resolution() -> None:
    state = evaluate(Milestones(submitted_at=FRIDAY), now=at(2026, 12, 1))
    assert state.follow_up_due is None and not state.follow_up_breached
    assert state.answer_due is None


def test_resolve_due_defaults_to_sixty_working_days() -> None:
    # Mon 6 Jul + 12 weeks = Mon 28 Sep; plus 17 Aug and 25 Aug (Maulid) -> Wed 30 Sep.
    submitted = at(2026, 7, 6)
    assert evaluate(Milestones(submitted_at=submitted), now=submitted).resolve_due == end_of(2026, 9, 30)


def test_resolve_due_per_complaint_override() -> None:
    state = evaluate(Milestones(submitted_at=FRIDAY, resolve_days=2), now=FRIDAY)
    assert state.resolve_due == end_of(2026, 7, 14)


def test_resolve_due_follows_configured_default() -> None:
    state = evaluate(Milestones(submitted_at=FRIDAY), now=FRIDAY, levels=ServiceLevels(resolve_days=14))
    assert state.resolve_due == end_of(2026, 7, 30)


def test_answer_due_ten_working_days_after_resolution() -> None:
    m = Milestones(submitted_at=at(2026, 7, 1), resolved_at=at(2026, 8, 7))
    # Fri 7 Aug: 10-14, 18-21 (17 is a holiday), Mon 24.
    assert evaluate(m, now=at(2026, 8, 7)).answer_due == end_of(2026, 8, 24)


def test_open_verification_not_breached_on_due_day() -> None:
    state = evaluate(Milestones(submitted_at=FRIDAY), now=at(2026, 7, 15, 23, 59))
    assert not state.verify_breached
    assert not state.any_breached


def test_open_verification_breached_after_due_day() -> None:
    state = evaluate(Milestones(submitted_at=FRIDAY), now=at(2026, 7, 16, 0, 1))
    assert state.verify_breached
    assert state.any_breached


def test_verification_on_time_stays_unbreached_forever() -> None:
    m = Milestones(submitted_at=FRIDAY, verified_at=at(2026, 7, 15, 16))
    assert not evaluate(m, now=at(2026, 12, 31)).verify_breached


def test_late_verification_stays_breached() -> None:
    m = Milestones(submitted_at=FRIDAY, verified_at=at(2026, 7, 16, 8))
    assert evaluate(m, now=at(2026, 12, 31)).verify_breached


def test_complaint_closed_unverified_in_time_is_not_breached() -> None:
    m = Milestones(submitted_at=FRIDAY, closed_at=at(2026, 7, 14))  # e.g. rejected
    assert not evaluate(m, now=at(2026, 12, 31)).verify_breached


def test_follow_up_breach_before_and_after_due() -> None:
    m = Milestones(submitted_at=FRIDAY, verified_at=at(2026, 7, 13), dispositioned_at=at(2026, 7, 14))
    assert not evaluate(m, now=at(2026, 7, 21, 20)).follow_up_breached
    assert evaluate(m, now=at(2026, 7, 22, 8)).follow_up_breached
    on_time = Milestones(**{**_fields(m), "first_follow_up_at": at(2026, 7, 20)})
    late = Milestones(**{**_fields(m), "first_follow_up_at": at(2026, 7, 23)})
    assert not evaluate(on_time, now=at(2026, 12, 1)).follow_up_breached
    assert evaluate(late, now=at(2026, 12, 1)).follow_up_breached


def test_resolve_breach_before_and_after_due() -> None:
    m = Milestones(submitted_at=FRIDAY, resolve_days=2)  # due end of Tue 14 Jul
    assert not evaluate(m, now=at(2026, 7, 14, 22)).resolve_breached
    assert evaluate(m, now=at(2026, 7, 15, 8)).resolve_breached
    resolved_in_time = Milestones(submitted_at=FRIDAY, resolve_days=2, resolved_at=at(2026, 7, 14))
    resolved_late = Milestones(submitted_at=FRIDAY, resolve_days=2, resolved_at=at(2026, 7, 16))
    assert not evaluate(resolved_in_time, now=at(2026, 12, 1)).resolve_breached
    assert evaluate(resolved_late, now=at(2026, 12, 1)).resolve_breached


def test_is_breached_without_due_is_never_breached() -> None:
    assert not is_breached(None, None, at(2030, 1, 1))


@pytest.mark.parametrize("name", ["verify_days", "first_follow_up_days", "resolve_days", "reporter_answer_days"])
@pytest.mark.parametrize("value", [0, -1])
def test_service_levels_refuse_less_than_one_day(name: str, value: int) -> None:
    with pytest.raises(ValueError, match=f"{name} must be at least 1"):
        ServiceLevels(**{name: value})


def test_service_levels_defaults_follow_the_guideline() -> None:
    levels = ServiceLevels()
    assert (levels.verify_days, levels.first_follow_up_days, levels.resolve_days, levels.reporter_answer_days) == (
        3, 5, 60, 10,
    )


def test_configured_verify_period_is_used() -> None:
    state = evaluate(Milestones(submitted_at=FRIDAY), now=FRIDAY, levels=ServiceLevels(verify_days=1))
    assert state.verify_due == end_of(2026, 7, 13)


def _fields(m: Milestones) -> dict[str, object]:
    return {name: getattr(m, name) for name in Milestones.__slots__}


def test_a_paused_complaint_breaches_nothing_however_late() -> None:
    state = evaluate(Milestones(submitted_at=FRIDAY, paused=True), now=at(2026, 12, 1))
    assert not (state.verify_breached or state.follow_up_breached or state.resolve_breached)
    assert evaluate(Milestones(submitted_at=FRIDAY), now=at(2026, 12, 1)).verify_breached


def test_postponed_days_move_the_resolution_too() -> None:
    state = evaluate(Milestones(submitted_at=FRIDAY, resolve_days=2, postponed_working_days=2), now=FRIDAY)
    assert state.resolve_due == end_of(2026, 7, 16)


def test_leaving_a_postponement_credits_the_working_days_it_lasted() -> None:
    from hub.domain.milestones import Stamps, reach
    from hub.domain.vocabulary import Status

    paused = reach(Stamps(), Status.SUBMITTED, Status.POSTPONED, at(2026, 7, 10))  # a Friday
    assert paused.postponed_at == at(2026, 7, 10)
    resumed = reach(paused, Status.POSTPONED, Status.SUBMITTED, at(2026, 7, 16), zone=WIB)  # Mon..Thu
    assert (resumed.postponed_at, resumed.postponed_working_days) == (None, 4)
