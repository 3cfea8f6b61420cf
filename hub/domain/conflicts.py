"""Whose status stands when a pulled record disagrees with the hub: one pure rule.

The hub's word stands until the region has heard it. A regional app hears a
national change when the outbox row carrying it is delivered (or, for an app
that takes no writes, when its admin marks the manual work done); until a
pull shows a regional change made after that, the region's copy is simply
behind. Regions also cannot always say what the hub says (an app without a
word for DISPOSITIONED keeps showing "Diverifikasi" after a disposition), so
a record that repeats what the region said before, or a status the hub
itself told it, is not the region speaking: it is an echo.

::

    hub:     verify ──────── disposition ───────────────────────────────
    outbox:              row PENDING ─── DELIVERED (heard_at)
    region:  VERIFIED ... VERIFIED ... VERIFIED (echo) ... IN_PROGRESS (its own, forward)
    result:  VERIFIED     DISPOSITIONED (kept)  kept       IN_PROGRESS, no conflict

:func:`decide`, in order:

1. the region says what the hub says: they agree;
2. the hub has not moved since the region last spoke: the region's change
   is ordinary news, take it;
3. the region repeats its previous status or echoes one the hub delivered
   to it: keep the hub's, record nothing;
4. the region's status is a legal forward move from the hub's (the lifecycle
   without its backward steps): take it, no conflict;
5. otherwise both sides changed: a real conflict, recorded once. When the
   region had not heard the hub's change (still undelivered, or the record
   predates delivery) the hub's word stands; after that the later change by
   source time wins.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from hub.domain.lifecycle import TRANSITIONS, Action
from hub.domain.vocabulary import Status

# Steps that undo progress: the region taking one of these is never "just ahead" of the hub. A transfer
# starts the complaint again (as SUBMITTED) in another region: nothing reached through it is progress.
BACKWARD_ACTIONS = frozenset({Action.NOT_OUR_AUTHORITY, Action.REOPEN, Action.ADD_DETAIL, Action.TRANSFER})


@cache
def forward_from(status: Status) -> frozenset[Status]:
    """Statuses reachable from ``status`` through forward steps only (regions may skip steps)."""
    reached: set[Status] = set()
    frontier = [status]
    while frontier:
        current = frontier.pop()
        for (origin, action), target in TRANSITIONS.items():
            if origin is current and action not in BACKWARD_ACTIONS and target not in reached:
                reached.add(target)
                frontier.append(target)
    reached.discard(status)
    return frozenset(reached)


def is_forward(hub: Status, regional: Status) -> bool:
    return regional in forward_from(hub)


@dataclass(frozen=True, slots=True)
class HubChange:
    """The hub's latest change the region must hear.

    ``made_at`` is when the hub made it (the hub's clock); ``heard_at`` when
    the region received it, ``None`` while it has not.
    """

    status: Status
    made_at: datetime
    heard_at: datetime | None


@dataclass(frozen=True, slots=True)
class RegionalState:
    """What a pulled record says, and what the region had said before (``None``: never seen).

    ``shows_hub_change``: the record itself carries the hub's latest change
    (the follow-up the delivery created is among its events), so it does not
    predate the delivery whatever its clock says.
    """

    status: Status
    updated_at: datetime
    previous: Status | None
    shows_hub_change: bool = False


def predates(regional: RegionalState, moment: datetime) -> bool:
    """Whether the record is older than the hub's ``moment``; regional times often stop at the second."""
    if regional.shows_hub_change:
        return False
    return regional.updated_at < moment.replace(microsecond=0)


class Verdict(enum.StrEnum):
    AGREE = "agree"  # same status: nothing to decide
    TAKE_REGION = "take_region"  # the region's news, or a legal step forward
    KEEP_HUB = "keep_hub"  # the region is behind, or echoes the hub: nothing to record
    CONFLICT = "conflict"  # both changed; see ``Decision.winner``


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    winner: str | None = None  # "region" or "nation" for a conflict
    rule: str | None = None

    @property
    def region_wins(self) -> bool:
        return self.verdict is Verdict.TAKE_REGION or (self.verdict is Verdict.CONFLICT and self.winner == "region")


def decide(hub: Status, regional: RegionalState, *, change: HubChange | None,
           echoes: Iterable[Status] = ()) -> Decision:
    """Whose status stands (see the module docstring for the rule and its order).

    ``change`` is the hub's latest change for this region (``None``: the hub
    made none); for a change that never travels to the region (it takes no
    pushes for it) pass ``heard_at=made_at``: there is nothing to wait for.
    ``echoes`` are statuses of hub changes the region heard since it last spoke.
    """
    if regional.status is hub:
        return Decision(Verdict.AGREE)
    if change is None or regional.previous is hub:
        return Decision(Verdict.TAKE_REGION, rule="the hub has not changed it since the region last spoke")
    if regional.status is regional.previous or regional.status in set(echoes):
        return Decision(Verdict.KEEP_HUB, rule="the region repeats what it said or what the hub told it")
    if is_forward(hub, regional.status):
        return Decision(Verdict.TAKE_REGION, rule="a legal step forward from the hub's status")
    if change.heard_at is None:
        return Decision(Verdict.CONFLICT, winner="nation", rule="the region has not heard the hub's change yet")
    if predates(regional, change.heard_at):
        return Decision(Verdict.CONFLICT, winner="nation",
                        rule="the region's record predates the hub's change reaching it")
    if not predates(regional, change.made_at):
        return Decision(Verdict.CONFLICT, winner="region", rule="the later source time wins")
    return Decision(Verdict.CONFLICT, winner="nation", rule="the later source time wins")
