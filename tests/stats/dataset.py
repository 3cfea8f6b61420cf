"""A small fixed record whose statistics are worked out by hand in the tests.

Five complaints, every deadline already settled (so the figures do not move
with the clock):

==  =====  ======  ===========  ==========  ==========================================
#   region status  privacy      hours       deadlines
==  =====  ======  ===========  ==========  ==========================================
1   35.78  RESOLVED PUBLIC      10          all met; follow-up on time; rated 5
2   35.78  CLOSED   PUBLIC      30          follow-up late (breach); rated 3
3   35.78  IN_PROG  PUBLIC      -           verified late, resolution overdue; follow-up on time
4   35.73  SUBMITTED CONFIDENTIAL -         verification overdue
5   61.71  RESOLVED PUBLIC      50          all met; follow-up on time; rated 4; channel SMS
==  =====  ======  ===========  ==========  ==========================================

Province 35 (Jawa Timur) has 38 regencies and cities; 36 have no complaint.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.domain.vocabulary import Channel, ComplaintType, Privacy, Status
from hub.store.database import session_factory
from hub.store.models import Complaint


def at(day: str, hour: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


FAR = at("2030-01-01")


def _complaint(n: int, region: str, status: Status, created: datetime, **fields: object) -> Complaint:
    values: dict[str, object] = dict(
        tracking_id=f"LPR-2019-{n:07d}", title=f"Laporan {n}", body="Isi laporan", type=ComplaintType.COMPLAINT,
        privacy=Privacy.PUBLIC, channel=Channel.WEB, status=status, region_code=region, created_at=created,
        updated_at=created, verify_due=created + timedelta(days=3), resolve_due=FAR, category_code="ROADS",
    )
    values.update(fields)
    return Complaint(**values)


def complaints() -> list[Complaint]:
    c1 = at("2025-05-01")
    c2 = at("2025-05-02")
    c3 = at("2025-06-01")
    c4 = at("2025-06-25")
    c5 = at("2025-06-10")
    return [
        _complaint(1, "35.78", Status.RESOLVED, c1, verified_at=c1 + timedelta(hours=2),
                   dispositioned_at=c1 + timedelta(hours=3), follow_up_due=at("2025-05-08"),
                   first_follow_up_at=at("2025-05-01", 6), resolved_at=c1 + timedelta(hours=10), rating=5),
        _complaint(2, "35.78", Status.CLOSED, c2, verified_at=c2 + timedelta(hours=2),
                   dispositioned_at=c2 + timedelta(hours=3), follow_up_due=at("2025-05-02", 20),
                   first_follow_up_at=at("2025-05-02", 22), resolved_at=c2 + timedelta(hours=30),
                   closed_at=at("2025-05-20"), rating=3),
        _complaint(3, "35.78", Status.IN_PROGRESS, c3, verified_at=at("2025-06-05"),
                   dispositioned_at=at("2025-06-05", 1), follow_up_due=at("2025-06-10"),
                   first_follow_up_at=at("2025-06-09"), resolve_due=at("2025-06-20")),
        _complaint(4, "35.73", Status.SUBMITTED, c4, privacy=Privacy.CONFIDENTIAL, category_code=None),
        _complaint(5, "61.71", Status.RESOLVED, c5, verified_at=c5 + timedelta(hours=1), channel=Channel.SMS,
                   dispositioned_at=c5 + timedelta(hours=2), follow_up_due=at("2025-06-17"),
                   first_follow_up_at=at("2025-06-12"), resolved_at=c5 + timedelta(hours=50), rating=4),
    ]


async def load(engine: AsyncEngine) -> None:
    async with session_factory(engine)() as session, session.begin():
        session.add_all(complaints())
