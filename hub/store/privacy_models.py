"""What privacy keeps: who read a reporter's identity or a confidential
complaint (the access log), and the secret codes reporters follow their
complaints with, with every attempt to open one.

A code is stored only as its SHA-256 digest; attempts are rows, so several
hub processes count the same guesses (``hub.store.reporter_codes``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.domain.vocabulary import Role
from hub.store.models import Base, Id, enum_column
from hub.store.types import utcnow


class AccessLogEntry(Base):
    """One reading by staff of a reporter's identity or of a confidential complaint."""

    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_complaint", "complaint_id", "id"),
        Index("ix_access_log_viewer", "viewer", "id"),
        Index("ix_access_log_read_at", "read_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    viewer: Mapped[str] = mapped_column(String(200))  # the token's subject
    viewer_role: Mapped[Role] = mapped_column(enum_column(Role))
    complaint_id: Mapped[int] = mapped_column(Id)  # no foreign key: the log outlives merges and clean-ups
    field: Mapped[str] = mapped_column(String(80))  # reporter, timeline.actor, confidential
    read_at: Mapped[datetime] = mapped_column(default=utcnow)
    request_id: Mapped[str | None] = mapped_column(String(128))


class ReporterCode(Base):
    """The digest of the secret code handed to whoever filed a complaint."""

    __tablename__ = "reporter_codes"

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), primary_key=True, autoincrement=False)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CodeAttempt(Base):
    """One attempt to open a complaint with a code, counted per tracking id."""

    __tablename__ = "code_attempts"
    __table_args__ = (Index("ix_code_attempts_tracking", "tracking_id", "attempted_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    tracking_id: Mapped[str] = mapped_column(String(40))
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
