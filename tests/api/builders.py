"""Test data for the read API: complaints, agencies and timeline events in the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import EventKind, Role, Status
from hub.store.complaint_writes import NewComplaint, NewReporter, record_complaint
from hub.store.database import session_factory
from hub.store.models import Agency, Complaint, TimelineEvent

T0 = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)  # a Monday

COMPLAINTS_QUERY = """
query($filter: ComplaintFilter, $first: Int = 100, $after: String, $orderBy: ComplaintOrder = CREATED_AT_DESC) {
  complaints(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id trackingId title } }
  }
}
"""


async def add_agency(engine: AsyncEngine, region_code: str, name: str) -> int:
    async with session_factory(engine)() as s, s.begin():
        agency = Agency(region_code=region_code, name=name)
        s.add(agency)
        await s.flush()
        return agency.id


async def add_complaint(
    engine: AsyncEngine,
    *,
    title: str = "Jalan rusak",
    body: str = "Jalan berlubang di depan pasar",
    region_code: str = "61.71",
    reporter: str | None = "Budi Santoso",
    reporter_id: int | None = None,
    created_at: datetime = T0,
    now: datetime | None = None,
    **fields: Any,
) -> Complaint:
    """A complaint submitted at ``created_at``; ``fields`` set NewComplaint options or model columns."""
    options = {k: fields.pop(k) for k in ("type", "privacy", "channel", "category_code", "extra_sources") if k in fields}
    async with session_factory(engine)() as s, s.begin():
        complaint = await record_complaint(
            s,
            NewComplaint(
                title=title, body=body, region_code=region_code,
                reporter=NewReporter(name=reporter) if reporter and reporter_id is None else None,
                reporter_id=reporter_id, submitted_at=created_at, actor=reporter or "pelapor", **options,
            ),
            levels=ServiceLevels(),
            now=now or created_at,
        )
        for name, value in fields.items():
            setattr(complaint, name, value)
        complaint.updated_at = fields.get("updated_at", created_at)
    return complaint


async def add_events(engine: AsyncEngine, complaint_id: int, *kinds_at: tuple[EventKind, datetime, str]) -> None:
    async with session_factory(engine)() as s, s.begin():
        for kind, at, actor in kinds_at:
            s.add(TimelineEvent(complaint_id=complaint_id, kind=kind, actor=actor, actor_role=Role.REGION_ADMIN,
                                source_system="lapor-hub", occurred_at=at, recorded_at=at, text=kind.value))


def ids(data: dict[str, Any]) -> list[str]:
    return [edge["node"]["trackingId"] for edge in data["complaints"]["edges"]]


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


__all__ = ["COMPLAINTS_QUERY", "T0", "Status", "add_agency", "add_complaint", "add_events", "hours", "ids"]
