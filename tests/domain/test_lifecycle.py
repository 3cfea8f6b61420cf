from __future__ import annotations

import itertools

import pytest

from hub.domain.lifecycle import Action, IllegalTransition, apply, can
from hub.domain.vocabulary import Status

S, A = Status, Action

OPEN = [S.SUBMITTED, S.POSTPONED, S.VERIFIED, S.DISPOSITIONED, S.IN_PROGRESS, S.RESOLVED]

# The lifecycle as DESIGN.md draws it, written out by hand.
LEGAL: dict[tuple[Status, Action], Status] = {
    (S.SUBMITTED, A.VERIFY): S.VERIFIED,
    (S.SUBMITTED, A.POSTPONE): S.POSTPONED,
    (S.POSTPONED, A.ADD_DETAIL): S.SUBMITTED,
    (S.SUBMITTED, A.REJECT): S.REJECTED,
    (S.VERIFIED, A.DISPOSITION): S.DISPOSITIONED,
    (S.DISPOSITIONED, A.NOT_OUR_AUTHORITY): S.VERIFIED,
    (S.DISPOSITIONED, A.FOLLOW_UP): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.FOLLOW_UP): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.RESOLVE): S.RESOLVED,
    (S.RESOLVED, A.CLOSE): S.CLOSED,
    (S.RESOLVED, A.REOPEN): S.IN_PROGRESS,
    **{(s, A.TRANSFER): S.SUBMITTED for s in (S.SUBMITTED, S.POSTPONED, S.VERIFIED, S.DISPOSITIONED)},
    **{(s, A.WITHDRAW): S.WITHDRAWN for s in OPEN},
    **{(s, A.ARCHIVE): S.ARCHIVED for s in Status if s is not S.ARCHIVED},
}

ILLEGAL = [pair for pair in itertools.product(Status, Action) if pair not in LEGAL]


def _id(pair: tuple[Status, Action]) -> str:
    return f"{pair[0].value}-{pair[1].value}"


@pytest.mark.parametrize(("move", "expected"), LEGAL.items(), ids=[_id(p) for p in LEGAL])
def test_legal_move_lands_on_the_right_status(move: tuple[Status, Action], expected: Status) -> None:
    status, action = move
    assert can(status, action)
    assert apply(status, action) is expected


@pytest.mark.parametrize("move", ILLEGAL, ids=[_id(p) for p in ILLEGAL])
def test_every_other_move_is_refused_naming_status_and_action(move: tuple[Status, Action]) -> None:
    status, action = move
    assert not can(status, action)
    with pytest.raises(IllegalTransition) as refused:
        apply(status, action)
    message = str(refused.value)
    assert status.value in message
    assert action.value in message
    assert refused.value.current is status and refused.value.action is action


def test_closed_and_withdrawn_complaints_cannot_be_withdrawn_again() -> None:
    for final in (S.REJECTED, S.CLOSED, S.WITHDRAWN, S.ARCHIVED):
        assert not can(final, A.WITHDRAW)


def test_refusal_lists_what_is_allowed_instead() -> None:
    with pytest.raises(IllegalTransition, match="allowed from RESOLVED: archive, close, reopen, withdraw"):
        apply(S.RESOLVED, A.VERIFY)


def test_archived_complaint_allows_nothing() -> None:
    with pytest.raises(IllegalTransition, match="allowed from ARCHIVED: none"):
        apply(S.ARCHIVED, A.REOPEN)


def test_a_full_happy_path_ends_closed() -> None:
    status = S.SUBMITTED
    for action in (A.POSTPONE, A.ADD_DETAIL, A.VERIFY, A.DISPOSITION, A.NOT_OUR_AUTHORITY, A.DISPOSITION,
                   A.FOLLOW_UP, A.FOLLOW_UP, A.RESOLVE, A.REOPEN, A.RESOLVE, A.CLOSE):
        status = apply(status, action)
    assert status is S.CLOSED
