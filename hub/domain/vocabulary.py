"""The national vocabulary every regional app's words are mapped onto."""

from __future__ import annotations

import enum


class ComplaintType(enum.StrEnum):
    COMPLAINT = "COMPLAINT"  # pengaduan
    ASPIRATION = "ASPIRATION"  # aspirasi
    INFORMATION_REQUEST = "INFORMATION_REQUEST"  # permintaan informasi


class Privacy(enum.StrEnum):
    PUBLIC = "PUBLIC"
    ANONYMOUS = "ANONYMOUS"  # reporter's identity hidden
    CONFIDENTIAL = "CONFIDENTIAL"  # rahasia: content only for reporter and handlers


class Channel(enum.StrEnum):
    WEB = "WEB"
    MOBILE = "MOBILE"
    SMS = "SMS"  # 1708
    SOCIAL_MEDIA = "SOCIAL_MEDIA"
    MANUAL = "MANUAL"  # typed in by an admin from paper or phone
    REGIONAL_APP = "REGIONAL_APP"  # arrived through a connector


class Status(enum.StrEnum):
    SUBMITTED = "SUBMITTED"  # Belum Terverifikasi
    POSTPONED = "POSTPONED"  # Tertunda
    VERIFIED = "VERIFIED"  # Terverifikasi
    REJECTED = "REJECTED"  # Ditolak
    DISPOSITIONED = "DISPOSITIONED"  # Terdisposisi Belum Ditindaklanjuti
    IN_PROGRESS = "IN_PROGRESS"  # Terdisposisi Sedang Diproses
    RESOLVED = "RESOLVED"  # Terdisposisi Selesai
    CLOSED = "CLOSED"  # Selesai
    WITHDRAWN = "WITHDRAWN"  # Dicabut
    ARCHIVED = "ARCHIVED"  # Arsip

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATUSES


FINAL_STATUSES = frozenset({Status.REJECTED, Status.CLOSED, Status.WITHDRAWN, Status.ARCHIVED})


class EventKind(enum.StrEnum):
    """What a timeline event records."""

    SUBMITTED = "SUBMITTED"
    STATUS_CHANGED = "STATUS_CHANGED"
    FOLLOW_UP = "FOLLOW_UP"  # tindak lanjut
    COMMENT = "COMMENT"
    DISPOSITION = "DISPOSITION"  # disposisi to an agency
    RATING = "RATING"
    MERGED = "MERGED"
    CONFLICT = "CONFLICT"
    DEADLINE_BREACHED = "DEADLINE_BREACHED"  # a service-level deadline passed (details name it)
    TRANSFERRED = "TRANSFERRED"  # moved to another region (dilimpahkan)
    ESCALATED = "ESCALATED"  # a breached deadline climbed the ladder (details: deadline, level)


class Role(enum.StrEnum):
    PUBLIC = "PUBLIC"
    REPORTER = "REPORTER"
    AGENCY_OFFICER = "AGENCY_OFFICER"  # pejabat penghubung
    REGION_ADMIN = "REGION_ADMIN"
    NATIONAL_ADMIN = "NATIONAL_ADMIN"


class RegionLevel(enum.StrEnum):
    PROVINCE = "PROVINCE"  # provinsi
    REGENCY = "REGENCY"  # kabupaten
    CITY = "CITY"  # kota
