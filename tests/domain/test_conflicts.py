"""The conflict rule: the hub's word stands until the region has heard it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hub.domain.conflicts import HubChange, RegionalState, Verdict, decide, forward_from, is_forward
from hub.domain.vocabulary import Status

T0 = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)
H = timedelta(hours=1)


def region(status: Status, at: timedelta, previous: Status | None) -> RegionalState:
    return RegionalState(status=status, updated_at=T0 + at, previous=previous)


def test_forward_moves_follow_the_lifecycle_without_its_backward_steps():
    assert is_forward(Status.DISPOSITIONED, Status.IN_PROGRESS)
    assert is_forward(Status.DISPOSITIONED, Status.RESOLVED)  # regions skip steps
    assert is_forward(Status.SUBMITTED, Status.CLOSED)
    assert not is_forward(Status.DISPOSITIONED, Status.VERIFIED)  # not our authority is a step back
    assert not is_forward(Status.IN_PROGRESS, Status.DISPOSITIONED)
    assert not is_forward(Status.POSTPONED, Status.SUBMITTED)  # the reporter's answer is not the region's to give
    assert Status.SUBMITTED not in forward_from(Status.SUBMITTED)


def test_a_pending_hub_change_is_never_reverted_by_a_stale_pull():
    pending = HubChange(status=Status.DISPOSITIONED, made_at=T0 + H, heard_at=None)
    decision = decide(Status.DISPOSITIONED, region(Status.VERIFIED, 2 * H, Status.VERIFIED), change=pending)
    assert decision.verdict is Verdict.KEEP_HUB and not decision.region_wins


def test_a_region_that_cannot_say_the_hubs_status_echoes_its_old_one_after_hearing_it():
    heard = HubChange(status=Status.DISPOSITIONED, made_at=T0 + H, heard_at=T0 + 2 * H)
    # the region's record is newer than the delivery (the delivery itself touched it) but still says VERIFIED
    decision = decide(Status.DISPOSITIONED, region(Status.VERIFIED, 3 * H, Status.VERIFIED), change=heard)
    assert decision.verdict is Verdict.KEEP_HUB


def test_a_status_the_hub_delivered_is_an_echo_even_when_the_region_was_last_heard_before_it():
    heard = HubChange(status=Status.DISPOSITIONED, made_at=T0 + 2 * H, heard_at=T0 + 3 * H)
    decision = decide(Status.DISPOSITIONED, region(Status.VERIFIED, 4 * H, Status.SUBMITTED), change=heard,
                      echoes={Status.VERIFIED, Status.DISPOSITIONED})
    assert decision.verdict is Verdict.KEEP_HUB


def test_once_the_region_echoes_the_hubs_status_they_agree():
    heard = HubChange(status=Status.VERIFIED, made_at=T0 + H, heard_at=T0 + 2 * H)
    assert decide(Status.VERIFIED, region(Status.VERIFIED, 3 * H, Status.SUBMITTED), change=heard).verdict is Verdict.AGREE


def test_a_legal_forward_move_from_the_hubs_status_is_taken_without_conflict():
    heard = HubChange(status=Status.DISPOSITIONED, made_at=T0 + H, heard_at=T0 + 2 * H)
    decision = decide(Status.DISPOSITIONED, region(Status.IN_PROGRESS, 3 * H, Status.VERIFIED), change=heard)
    assert decision.verdict is Verdict.TAKE_REGION and decision.region_wins


def test_a_regional_change_after_hearing_the_hub_is_a_conflict_the_later_change_wins():
    heard = HubChange(status=Status.DISPOSITIONED, made_at=T0 + H, heard_at=T0 + 2 * H)
    decision = decide(Status.DISPOSITIONED, region(Status.REJECTED, 3 * H, Status.VERIFIED), change=heard)
    assert (decision.verdict, decision.winner) == (Verdict.CONFLICT, "region")


def test_a_regional_change_before_hearing_the_hub_is_a_conflict_the_hub_wins():
    pending = HubChange(status=Status.REJECTED, made_at=T0 + H, heard_at=None)
    decision = decide(Status.REJECTED, region(Status.VERIFIED, 2 * H, Status.SUBMITTED), change=pending)
    assert (decision.verdict, decision.winner) == (Verdict.CONFLICT, "nation")
    delivered_later = HubChange(status=Status.REJECTED, made_at=T0 + H, heard_at=T0 + 3 * H)
    decision = decide(Status.REJECTED, region(Status.VERIFIED, 2 * H, Status.SUBMITTED), change=delivered_later)
    assert (decision.verdict, decision.winner) == (Verdict.CONFLICT, "nation")


def test_without_a_hub_change_since_the_region_last_spoke_the_region_is_news():
    decision = decide(Status.IN_PROGRESS, region(Status.VERIFIED, 2 * H, Status.IN_PROGRESS),
                      change=HubChange(status=Status.IN_PROGRESS, made_at=T0, heard_at=T0))
    assert decision.verdict is Verdict.TAKE_REGION  # even a step back: the region owns its news
    assert decide(Status.SUBMITTED, region(Status.VERIFIED, H, None), change=None).verdict is Verdict.TAKE_REGION


def test_a_change_that_never_travels_is_judged_by_source_time():
    local = HubChange(status=Status.REJECTED, made_at=T0 + 3 * H, heard_at=T0 + 3 * H)
    older = decide(Status.REJECTED, region(Status.VERIFIED, 2 * H, Status.SUBMITTED), change=local)
    newer = decide(Status.REJECTED, region(Status.VERIFIED, 4 * H, Status.SUBMITTED), change=local)
    assert (older.winner, newer.winner) == ("nation", "region")


def test_a_record_that_carries_the_hubs_delivered_change_never_predates_it():
    heard = HubChange(status=Status.VERIFIED, made_at=T0 + H, heard_at=T0 + 2 * H)
    stale_clock = RegionalState(status=Status.REJECTED, updated_at=T0 + H, previous=Status.SUBMITTED,
                                shows_hub_change=True)
    assert decide(Status.VERIFIED, stale_clock, change=heard).winner == "region"


def test_a_regional_time_in_the_same_second_as_the_delivery_does_not_predate_it():
    heard = HubChange(status=Status.VERIFIED, made_at=T0 + H, heard_at=T0 + 2 * H + timedelta(microseconds=400_000))
    same_second = region(Status.REJECTED, 2 * H, Status.SUBMITTED)  # the region writes whole seconds
    assert decide(Status.VERIFIED, same_second, change=heard).winner == "region"


def test_a_transfer_makes_no_status_forward_of_another():
    """A transfer restarts a complaint as SUBMITTED elsewhere: rejecting a verified complaint is not progress."""
    assert Status.REJECTED not in forward_from(Status.VERIFIED)
    assert Status.VERIFIED not in forward_from(Status.DISPOSITIONED)
    assert Status.DISPOSITIONED in forward_from(Status.VERIFIED)
