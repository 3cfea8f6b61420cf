"""Reading a filtered list of complaints for export, in constant memory.

One statement, the list's own scope and filter, the list's default order
(:func:`~hub.store.complaint_queries.default_order`: best match first when
the filter searches text, else newest first), read through a server-side cursor in batches
(``yield_per``): a million rows never sit in memory at once. Columns are the
complaint's own facts with region, category and agency names; nothing that
identifies a reporter is exported, whoever asks. Each confidential complaint
an export holds is a reading in the access log (field ``export``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.domain.access import Viewer
from hub.domain.vocabulary import Privacy
from hub.store.complaint_queries import ComplaintFilter, ComplaintOrder, default_order, filter_clauses, sorted_by
from hub.store.deadlines import breached_clause
from hub.store.models import Agency, Category, Complaint, Region
from hub.store.privacy_models import AccessLogEntry
from hub.store.scope import visible_clause
from hub.store.types import UTCDateTime

BATCH = 2000


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str  # Indonesian (English)


COLUMNS: tuple[Column, ...] = (
    Column("tracking_id", "Nomor Tiket (Tracking ID)"),
    Column("title", "Judul (Title)"),
    Column("status", "Status (Status)"),
    Column("type", "Jenis (Type)"),
    Column("channel", "Kanal (Channel)"),
    Column("privacy", "Kerahasiaan (Privacy)"),
    Column("region_code", "Kode Wilayah (Region Code)"),
    Column("region_name", "Wilayah (Region)"),
    Column("category_name", "Kategori (Category)"),
    Column("agency_name", "Instansi (Agency)"),
    Column("created_at", "Dibuat (Created)"),
    Column("verified_at", "Diverifikasi (Verified)"),
    Column("dispositioned_at", "Didisposisikan (Dispositioned)"),
    Column("first_follow_up_at", "Tindak Lanjut Pertama (First Follow-up)"),
    Column("resolved_at", "Selesai (Resolved)"),
    Column("closed_at", "Ditutup (Closed)"),
    Column("verify_due", "Batas Verifikasi (Verify Due)"),
    Column("follow_up_due", "Batas Tindak Lanjut (Follow-up Due)"),
    Column("resolve_due", "Batas Penyelesaian (Resolve Due)"),
    Column("sla_breached", "Melewati Batas Waktu (SLA Breached)"),
    Column("rating", "Penilaian (Rating)"),
)
HEADERS = tuple(column.header for column in COLUMNS)


def _statement(viewer: Viewer, where: ComplaintFilter, now: datetime, *, order: ComplaintOrder, dialect: str) -> Any:
    sort = sorted_by(order, where, dialect=dialect)
    return (
        select(
            Complaint.tracking_id, Complaint.title, Complaint.status, Complaint.type, Complaint.channel,
            Complaint.privacy, Complaint.region_code, Region.name, Category.name, Agency.name,
            Complaint.created_at, Complaint.verified_at, Complaint.dispositioned_at, Complaint.first_follow_up_at,
            Complaint.resolved_at, Complaint.closed_at, Complaint.verify_due, Complaint.follow_up_due,
            Complaint.resolve_due, breached_clause(now), Complaint.rating,
        )
        .select_from(sort.source)
        .join(Region, Region.code == Complaint.region_code)
        .outerjoin(Category, Category.code == Complaint.category_code)
        .outerjoin(Agency, Agency.id == Complaint.agency_id)
        .where(visible_clause(viewer), *filter_clauses(sort.where, now=now))
        .order_by(*(key.desc() if sort.descending else key.asc() for key in sort.keys))
    )


async def stream_rows(
    engine: AsyncEngine, viewer: Viewer, *, where: ComplaintFilter, now: datetime, limit: int | None = None,
    order: ComplaintOrder | None = None,
) -> AsyncIterator[Sequence[Sequence[Any]]]:
    """Batches of rows in :data:`COLUMNS` order, read through a server-side cursor, sorted by ``order``
    (by default the list's)."""
    statement = _statement(viewer, where, now, order=order or default_order(where), dialect=engine.dialect.name)
    if limit is not None:
        statement = statement.limit(limit)
    async with engine.connect() as connection:
        result = await connection.stream(statement.execution_options(yield_per=BATCH))
        async for partition in result.partitions(BATCH):
            yield partition


async def log_confidential_export(
    engine: AsyncEngine, viewer: Viewer, *, where: Any, now: datetime, request_id: str | None = None
) -> None:
    """Record in the access log every confidential complaint an export by staff holds: one statement."""
    chosen = (
        select(literal(viewer.subject or viewer.role.value.lower(), String), literal(viewer.role.value, String),
               Complaint.id, literal("export", String), literal(now, UTCDateTime()), literal(request_id, String))
        .where(visible_clause(viewer), *filter_clauses(where, now=now), Complaint.privacy == Privacy.CONFIDENTIAL)
    )
    columns = ["viewer", "viewer_role", "complaint_id", "field", "read_at", "request_id"]
    async with engine.begin() as connection:
        await connection.execute(insert(AccessLogEntry).from_select(columns, chosen))
