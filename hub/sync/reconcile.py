"""Applying the conflict rule (:mod:`hub.domain.conflicts`) to a page of pulled records.

What the rule needs besides the record comes from two places, read once per
page: the hub's changes for the region (its outbox rows, with when each was
made and when the region received it) and what the region said last
(``complaint_sources.source_status``). A conflict is kept as one CONFLICT
event with both values, both times, the winner and the rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.connectors.records import RegionalRecord
from hub.domain.conflicts import Decision, HubChange, RegionalState, Verdict, decide
from hub.domain.vocabulary import EventKind, Status
from hub.store.in_list import one_of
from hub.store.models import Complaint, ComplaintSource, TimelineEvent
from hub.store.outbox_models import OutboxRow, OutboxStatus, OutboxTarget

HEARD = (OutboxStatus.DELIVERED, OutboxStatus.DONE)  # DONE: the admin typed it into the regional app


@dataclass(frozen=True, slots=True)
class Sent:
    """One hub change for the region: the status it carried, when it was made, when the region heard it."""

    status: Status
    made_at: datetime
    heard_at: datetime | None
    regional_event_id: str | None = None  # what the delivery became in the regional app, when it says


async def sent_changes(session: AsyncSession, source_system: str, complaint_ids: Iterable[int]) -> dict[int, list[Sent]]:
    """The hub's changes for ``source_system`` per complaint, oldest first."""
    ids = list(complaint_ids)
    sent: dict[int, list[Sent]] = defaultdict(list)
    if not ids:
        return sent
    rows = await session.execute(
        select(OutboxRow.complaint_id, OutboxRow.payload, OutboxRow.status, OutboxRow.created_at, OutboxRow.delivered_at,
               OutboxRow.regional_event_id)
        .where(one_of(session, OutboxRow.complaint_id, ids), OutboxRow.source_system == source_system,
               OutboxRow.target == OutboxTarget.REGION)
        .order_by(OutboxRow.id)
    )
    for complaint_id, payload, status, created_at, delivered_at, regional_event_id in rows:
        try:
            carried = Status(str(payload.get("status"))) if isinstance(payload, dict) else None
        except ValueError:
            carried = None
        if carried is None:
            continue  # an unreadable row is DEAD already; it says nothing about the status
        sent[complaint_id].append(Sent(status=carried, made_at=created_at,
                                       heard_at=delivered_at if status in HEARD else None,
                                       regional_event_id=regional_event_id))
    return sent


def judge(complaint: Complaint, source: ComplaintSource, record: RegionalRecord, sent: Sequence[Sent],
          echo: Callable[[Status], Status | None] = lambda status: status) -> Decision:
    """The rule's decision for ``record`` against the complaint as the hub holds it.

    ``echo`` says what the region reads back for a status the hub delivered
    (:meth:`hub.connectors.base.Connector.echo_of`): in a coarser vocabulary
    the hub's own change comes back as another national status.
    """
    if sent:
        latest = sent[-1]
        change: HubChange | None = HubChange(status=latest.status, made_at=latest.made_at, heard_at=latest.heard_at)
    else:  # nothing travels to this region: the hub's change is as heard as it will ever be
        change = HubChange(status=complaint.status, made_at=complaint.updated_at, heard_at=complaint.updated_at)
    since = source.last_seen_at if source.source_status is not None else None
    heard = [s.status for s in sent if s.heard_at is not None and (since is None or s.heard_at >= since)]
    echoes = set(heard) | {said for said in map(echo, heard) if said is not None}
    shows = bool(sent) and sent[-1].regional_event_id is not None and any(
        event.source_event_id == sent[-1].regional_event_id for event in record.events)
    regional = RegionalState(status=record.status, updated_at=record.updated_at, previous=source.source_status,
                             shows_hub_change=shows)
    return decide(complaint.status, regional, change=change, echoes=echoes)


def conflict_event(complaint: Complaint, record: RegionalRecord, decision: Decision, *, source_system: str,
                   now: datetime) -> TimelineEvent:
    assert decision.verdict is Verdict.CONFLICT
    return TimelineEvent(
        complaint_id=complaint.id, kind=EventKind.CONFLICT, from_status=complaint.status, to_status=record.status,
        text=f"{source_system} says {record.status.value}, the hub says {complaint.status.value}: "
             f"{decision.winner} wins",
        actor=source_system, source_system=source_system,
        source_event_id=f"conflict:{record.status.value}:{record.updated_at.isoformat()}",
        occurred_at=record.updated_at, recorded_at=now,
        details={"national": complaint.status.value, "national_at": complaint.updated_at.isoformat(),
                 "regional": record.status.value, "regional_at": record.updated_at.isoformat(),
                 "winner": decision.winner, "rule": decision.rule},
    )
