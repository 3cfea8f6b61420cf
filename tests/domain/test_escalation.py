"""The escalation ladder as a pure rule: when a breach climbs, and when it stops."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from hub.domain.escalation import Clocks, EscalationLevel, EscalationPolicy, decide, outstanding, step_due
from hub.domain.regions import timezone_for
from hub.domain.vocabulary import Status

ZONE = timezone_for("19.71")  # WIB
VERIFY_DUE = datetime.combine(datetime(2026, 10, 8).date(), time.max, tzinfo=ZONE)  # Thursday
POLICY = EscalationPolicy()  # 2 working days


def clocks(**changes) -> Clocks:
    values = dict(status=Status.SUBMITTED, closed_at=None, verify_due=VERIFY_DUE, verified_at=None,
                  follow_up_due=None, first_follow_up_at=None, resolve_due=VERIFY_DUE + timedelta(days=80),
                  resolved_at=None)
    return Clocks(**{**values, **changes})


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 10, day, hour, tzinfo=ZONE).astimezone(UTC)


def test_a_breach_climbs_to_the_region_then_to_the_nation_two_working_days_apart():
    # due Thu 8 Oct; region after the end of Mon 12 Oct (Fri, Mon); national after the end of Wed 14 Oct
    assert step_due(VERIFY_DUE, EscalationLevel.REGION, policy=POLICY, zone=ZONE).date().isoformat() == "2026-10-12"
    assert step_due(VERIFY_DUE, EscalationLevel.NATIONAL, policy=POLICY, zone=ZONE).date().isoformat() == "2026-10-14"
    seen = []
    for now in (at(9), at(12, 23), at(13), at(14, 23), at(15), at(30)):
        decision = decide(clocks(), level=EscalationLevel.NONE, deadline=None, now=now, policy=POLICY, zone=ZONE)
        seen.append(tuple(step.value for step in decision.steps))
    assert seen == [(), (), ("REGION",), ("REGION",), ("REGION", "NATIONAL"), ("REGION", "NATIONAL")]


def test_a_step_already_taken_is_not_taken_again_and_the_next_one_is_scheduled():
    decision = decide(clocks(), level=EscalationLevel.REGION, deadline="verify", now=at(13), policy=POLICY, zone=ZONE)
    assert decision.steps == () and not decision.end and decision.breach.deadline == "verify"
    assert decision.next_step_at == step_due(VERIFY_DUE, EscalationLevel.NATIONAL, policy=POLICY, zone=ZONE)
    top = decide(clocks(), level=EscalationLevel.NATIONAL, deadline="verify", now=at(30), policy=POLICY, zone=ZONE)
    assert top.steps == () and top.next_step_at is None


def test_moving_on_ends_the_escalation_and_postponement_waits():
    verified = clocks(verified_at=at(13, 10), status=Status.VERIFIED)
    assert decide(verified, level=EscalationLevel.REGION, deadline="verify", now=at(20), policy=POLICY,
                  zone=ZONE).end is True
    closed = clocks(status=Status.REJECTED, closed_at=at(13, 10))
    assert outstanding(closed, at(20)) is None
    postponed = clocks(status=Status.POSTPONED)
    assert outstanding(postponed, at(20)) is None
    assert decide(postponed, level=EscalationLevel.REGION, deadline="verify", now=at(20), policy=POLICY,
                  zone=ZONE) is None


def test_a_breach_of_another_deadline_starts_its_own_ladder():
    follow_up_due = datetime.combine(datetime(2026, 10, 20).date(), time.max, tzinfo=ZONE)
    dispositioned = clocks(status=Status.DISPOSITIONED, verified_at=at(13), follow_up_due=follow_up_due)
    decision = decide(dispositioned, level=EscalationLevel.NATIONAL, deadline="verify", now=at(23),
                      policy=POLICY, zone=ZONE)
    assert decision.end and decision.breach.deadline == "follow_up"
    assert [s.value for s in decision.steps] == ["REGION"]  # Tue 20 + 2 working days = Thu 22


def test_the_period_is_configurable():
    with pytest.raises(ValueError):
        EscalationPolicy(working_days=0)
    slow = EscalationPolicy(working_days=5)
    decision = decide(clocks(), level=EscalationLevel.NONE, deadline=None, now=at(15), policy=slow, zone=ZONE)
    assert decision.steps == ()
