"""The national record as SQLAlchemy 2 typed models.

A complaint (laporan) belongs to a region and a category, is handled by an
agency once dispositioned, and keeps one source row per system that holds a
copy of it and a timeline of events. Reporters' personal data lives in its own
table so scope rules can withhold it without touching the complaint.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from hub.domain.escalation import EscalationLevel
from hub.domain.vocabulary import Channel, ComplaintType, EventKind, Privacy, RegionLevel, Role, Status
from hub.store.types import UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# 64-bit ids on PostgreSQL, SQLite's rowid alias on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")


def enum_column(enum_cls: type) -> Enum:
    return Enum(enum_cls, native_enum=False, length=32, validate_strings=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}

    if TYPE_CHECKING:
        __table__: ClassVar[Table]  # every model maps one table, which bulk inserts write to


class Region(Base):
    """A province (provinsi), regency (kabupaten) or city (kota)."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)  # Kemendagri code
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[RegionLevel] = mapped_column(enum_column(RegionLevel))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)


class Agency(Base):
    """A government agency (instansi / OPD) of a region that handles complaints."""

    __tablename__ = "agencies"
    __table_args__ = (UniqueConstraint("region_code", "name"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(40))


class Category(Base):
    """A national complaint category (kategori)."""

    __tablename__ = "categories"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    resolve_days: Mapped[int | None] = mapped_column(Integer)  # overrides the default period


class Reporter(Base):
    """A citizen who files complaints (pelapor). Personal data, kept apart."""

    __tablename__ = "reporters"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40), index=True)
    email: Mapped[str | None] = mapped_column(String(200), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TrackingCounter(Base):
    """The last national tracking number handed out per year; it only grows."""

    __tablename__ = "tracking_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Complaint(Base):
    """One complaint in the national record (laporan)."""

    __tablename__ = "complaints"
    __table_args__ = (
        Index("ix_complaints_created", "created_at", "id"),
        Index("ix_complaints_region_created", "region_code", "created_at"),
        Index("ix_complaints_status_region", "status", "region_code"),
        Index("ix_complaints_escalation_region", "escalation_level", "region_code"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    tracking_id: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    type: Mapped[ComplaintType] = mapped_column(enum_column(ComplaintType))
    privacy: Mapped[Privacy] = mapped_column(enum_column(Privacy))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    status: Mapped[Status] = mapped_column(enum_column(Status))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    category_code: Mapped[str | None] = mapped_column(ForeignKey("categories.code"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("reporters.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(400))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    verified_at: Mapped[datetime | None]
    dispositioned_at: Mapped[datetime | None]
    first_follow_up_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    postponed_working_days: Mapped[int] = mapped_column(Integer, default=0)  # postponements over
    postponed_at: Mapped[datetime | None]  # while POSTPONED: since when (the clocks are paused)

    # Due dates (see hub.domain.sla); breaches are derived from them and "now".
    verify_due: Mapped[datetime]
    follow_up_due: Mapped[datetime | None]
    resolve_due: Mapped[datetime]
    answer_due: Mapped[datetime | None]

    # Escalation of a breached deadline nobody met (hub.domain.escalation, applied by hub.sync.escalations):
    # the ladder it is on (which deadline), the level reached and since when, when the next step falls due.
    # Leaving the ladder (the complaint moved on) clears them all.
    escalation_level: Mapped[EscalationLevel] = mapped_column(
        enum_column(EscalationLevel), default=EscalationLevel.NONE, server_default=EscalationLevel.NONE.value)
    escalation_deadline: Mapped[str | None] = mapped_column(String(16))
    escalated_at: Mapped[datetime | None]
    escalation_next_at: Mapped[datetime | None] = mapped_column(index=True)

    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))

    sources: Mapped[list[ComplaintSource]] = relationship(back_populates="complaint", lazy="raise")
    events: Mapped[list[TimelineEvent]] = relationship(back_populates="complaint", lazy="raise")


class ComplaintSource(Base):
    """One system that holds a copy of a complaint, and its id there."""

    __tablename__ = "complaint_sources"
    __table_args__ = (UniqueConstraint("source_system", "source_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    source_system: Mapped[str] = mapped_column(String(80))
    source_id: Mapped[str] = mapped_column(String(120))
    source_updated_at: Mapped[datetime | None]
    content_hash: Mapped[str | None] = mapped_column(String(64))
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # a copy left behind when the complaint moved to another region: its pulls no longer move the complaint
    transferred_at: Mapped[datetime | None]
    # what the source says beyond the national fields (GeoReport's status_notes, zipcode, ...): a JSON
    # object of texts, kept as text so SQLite and PostgreSQL read it alike (see read_rows.source_details)
    details: Mapped[str | None] = mapped_column(Text)
    # The national status this system said last (taken or not): a record that
    # repeats it is the region being behind, not the region speaking
    # (hub.domain.conflicts).
    source_status: Mapped[Status | None] = mapped_column(enum_column(Status))

    complaint: Mapped[Complaint] = relationship(back_populates="sources", lazy="raise")


class TimelineEvent(Base):
    """Something that happened to a complaint: a status change, a follow-up, a comment."""

    __tablename__ = "timeline_events"
    __table_args__ = (
        Index("ix_timeline_complaint_time", "complaint_id", "occurred_at", "id"),
        # a regional event is applied once per complaint, however often it is pulled
        Index("ux_timeline_source_event", "complaint_id", "source_system", "source_event_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    from_status: Mapped[Status | None] = mapped_column(enum_column(Status))
    to_status: Mapped[Status | None] = mapped_column(enum_column(Status))
    text: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[Role | None] = mapped_column(enum_column(Role))
    source_system: Mapped[str] = mapped_column(String(80))
    source_event_id: Mapped[str | None] = mapped_column(String(120))
    occurred_at: Mapped[datetime]  # the source's own time
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    details: Mapped[dict | None] = mapped_column(JSON)

    complaint: Mapped[Complaint] = relationship(back_populates="events", lazy="raise")


class Attachment(Base):
    """A file attached to a complaint (lampiran).

    A file a region holds keeps its ``url`` there; a file uploaded to the hub
    has a ``storage_key`` in the hub's file store (:mod:`hub.files`) and is
    downloaded through a short-lived signed link.
    """

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str | None] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(1000))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    source_system: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    storage_key: Mapped[str | None] = mapped_column(String(300))
    sha256: Mapped[str | None] = mapped_column(String(64))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("timeline_events.id"))  # the follow-up it came with
    uploaded_by: Mapped[str | None] = mapped_column(String(200))
    location_shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # GPS EXIF kept
