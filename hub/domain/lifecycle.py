"""The national complaint lifecycle as a transition table.

::

    SUBMITTED --verify--> VERIFIED --disposition--> DISPOSITIONED --follow_up--> IN_PROGRESS --resolve--> RESOLVED
    SUBMITTED --postpone--> POSTPONED --add_detail--> SUBMITTED
    SUBMITTED --reject--> REJECTED
    DISPOSITIONED --not_our_authority--> VERIFIED
    SUBMITTED, POSTPONED, VERIFIED, DISPOSITIONED --transfer--> SUBMITTED (in the receiving region)
    RESOLVED --close (reporter answers, or the answer window passes)--> CLOSED
    RESOLVED --reopen--> IN_PROGRESS

plus ``withdraw`` (reporter or region) from any open status and ``archive``
from any status but ``ARCHIVED``. A follow-up on a complaint already in
progress keeps it ``IN_PROGRESS``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from hub.domain.vocabulary import FINAL_STATUSES, Status


class Action(enum.StrEnum):
    VERIFY = "verify"
    POSTPONE = "postpone"  # tunda
    ADD_DETAIL = "add_detail"
    REJECT = "reject"
    DISPOSITION = "disposition"  # disposisi
    NOT_OUR_AUTHORITY = "not_our_authority"  # bukan wewenang
    FOLLOW_UP = "follow_up"  # tindak lanjut
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    WITHDRAW = "withdraw"
    ARCHIVE = "archive"
    TRANSFER = "transfer"  # pelimpahan to another region


class IllegalTransition(ValueError):
    """An action that the lifecycle does not allow from the current status."""

    def __init__(self, current: Status, action: Action) -> None:
        self.current = current
        self.action = action
        allowed = ", ".join(sorted(a.value for a in allowed_actions(current))) or "none"
        super().__init__(
            f"cannot {action.value} a complaint that is {current.value}; "
            f"allowed from {current.value}: {allowed}"
        )


_OPEN = [s for s in Status if s not in FINAL_STATUSES]

TRANSITIONS: Mapping[tuple[Status, Action], Status] = {
    (Status.SUBMITTED, Action.VERIFY): Status.VERIFIED,
    (Status.SUBMITTED, Action.POSTPONE): Status.POSTPONED,
    (Status.SUBMITTED, Action.REJECT): Status.REJECTED,
    (Status.POSTPONED, Action.ADD_DETAIL): Status.SUBMITTED,
    (Status.VERIFIED, Action.DISPOSITION): Status.DISPOSITIONED,
    (Status.DISPOSITIONED, Action.NOT_OUR_AUTHORITY): Status.VERIFIED,
    (Status.DISPOSITIONED, Action.FOLLOW_UP): Status.IN_PROGRESS,
    (Status.IN_PROGRESS, Action.FOLLOW_UP): Status.IN_PROGRESS,
    (Status.IN_PROGRESS, Action.RESOLVE): Status.RESOLVED,
    (Status.RESOLVED, Action.CLOSE): Status.CLOSED,
    (Status.RESOLVED, Action.REOPEN): Status.IN_PROGRESS,
    # the receiving region gets it as a submission and verifies it itself
    **{(s, Action.TRANSFER): Status.SUBMITTED
       for s in (Status.SUBMITTED, Status.POSTPONED, Status.VERIFIED, Status.DISPOSITIONED)},
    **{(s, Action.WITHDRAW): Status.WITHDRAWN for s in _OPEN},
    **{(s, Action.ARCHIVE): Status.ARCHIVED for s in Status if s is not Status.ARCHIVED},
}


def allowed_actions(current: Status) -> frozenset[Action]:
    return frozenset(action for (status, action) in TRANSITIONS if status is current)


def apply(current: Status, action: Action) -> Status:
    """The status after ``action``, or :class:`IllegalTransition`."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise IllegalTransition(current, action) from None


def can(current: Status, action: Action) -> bool:
    return (current, action) in TRANSITIONS
