"""Region-file entries that connect the hub to the simulators.

The mappings are built from each simulator's own vocabulary, so they are
also a worked example of mapping a regional app (see ``docs/regions.md``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from hub.simulators import csv_app, open311, rest
from hub.simulators.habits import RestHabits

# The national category for each simulator category key.
NATIONAL_CATEGORY = {"road": "ROADS", "waste": "ENVIRONMENT", "water": "WATER", "light": "ELECTRICITY",
                     "health": "HEALTH", "school": "EDUCATION", "idcard": "CIVIL_REGISTRY",
                     "welfare": "SOCIAL_ASSISTANCE", "order": "PUBLIC_ORDER", "other": "OTHER"}
NATIONAL_STATUS = {"new": "SUBMITTED", "verified": "VERIFIED", "in_progress": "IN_PROGRESS", "done": "RESOLVED",
                   "rejected": "REJECTED", "withdrawn": "WITHDRAWN"}


FLAG_WORDS = {"boolean": {"yes": [True], "no": [False]}, "true-false": {"yes": ["true"], "no": ["false"]},
              "ya-tidak": {"yes": ["ya"], "no": ["tidak"]}, "1-0": {"yes": ["1"], "no": ["0"]}}


def rest_entry(code: str, base_url: str, *, api_key_env: str, interval_seconds: float = 5,
               habits: RestHabits | None = None, username_env: str | None = None, password_env: str | None = None,
               **extra: Any) -> dict[str, Any]:
    """A region entry for a REST simulator with ``habits``: each habit is an option or a word of the mapping."""
    habits = habits or RestHabits()
    credentials = ({"username": username_env or api_key_env, "password": password_env or api_key_env}
                   if habits.auth == "basic" else {"api_key": api_key_env})
    options: dict[str, Any] = {"list_path": "/api/v1/laporan", "since_param": "updated_since",
                               "since_format": rest.DATE_FORMAT, "records_path": "data", "paging": habits.paging,
                               "order": habits.order, "auth": habits.auth}
    options.update({
        "page": {"page_param": "page", "page_size_param": "per_page", "total_pages_path": "meta.total_pages"},
        "offset": {"offset_param": "offset", "page_size_param": "limit", "total_path": "meta.total"},
        "cursor": {"cursor_param": "cursor", "page_size_param": "limit", "next_cursor_path": "next"},
        "link": {"page_param": "page", "page_size_param": "per_page"},
        "none": {},
    }[habits.paging])
    if habits.auth == "header":
        options["auth_header"] = "X-API-Key"
    wrap = "laporan." if habits.dialect == "aduan" else ""
    privacy_field = {"none": None, "word": "sifat", "flag": "rahasia"}[habits.privacy]
    if habits.dialect == "aduan":
        create = {"perihal": "title", "uraian": "body", "kategori": "category", "nomor_lapor": "tracking_id",
                  "pelapor.nama_lengkap": "reporter_name", "pelapor.no_hp": "reporter_phone",
                  "pelapor.surel": "reporter_email", "pelapor.anonim": "anonymous", "lokasi.alamat": "address",
                  "lokasi.lintang": "latitude", "lokasi.bujur": "longitude"}
        options.update({"create_id_path": "data.id", "follow_up_fields": {"tanggapan.teks": "text", "tanggapan.petugas": "actor"},
                        "follow_up_id_path": "data.id", "status_path": "/api/v1/laporan/{source_id}", "status_method": "PATCH",
                        "status_fields": {"status": "status", "catatan": "note", "petugas": "actor"}})
    else:
        create = {"judul": "title", "isi_laporan": "body", "kategori": "category", "kode_lapor": "tracking_id",
                  "pelapor.nama": "reporter_name", "pelapor.telepon": "reporter_phone", "pelapor.email": "reporter_email",
                  "pelapor.anonim": "anonymous", "lokasi.alamat": "address", "lokasi.lat": "latitude",
                  "lokasi.lng": "longitude"}
        options["follow_up_fields"] = {"isi": "text", "oleh": "actor", "status": "status"}
    if privacy_field:
        create[privacy_field] = "privacy_word" if habits.privacy == "word" else "confidential"
    options.update({"create_path": "/api/v1/laporan", "follow_up_path": "/api/v1/laporan/{source_id}/tanggapan",
                    "create_fields": {wrap + path: source for path, source in create.items()}})
    fields = {"source_id": "id", "title": "judul", "body": "isi_laporan", "status": "status",
              "created_at": "tanggal_dibuat", "updated_at": "tanggal_diperbarui", "category": "kategori",
              "tracking_id": "kode_lapor", "reporter_name": "pelapor.nama", "reporter_phone": "pelapor.telepon",
              "reporter_email": "pelapor.email", "anonymous": "pelapor.anonim", "address": "lokasi.alamat",
              "latitude": "lokasi.lat", "longitude": "lokasi.lng", "events": "tanggapan"}
    if privacy_field:
        fields["confidential"] = privacy_field
    return {
        "code": code, "connector": "rest", "base_url": base_url, "name": "SIPADU",
        "schedule": {"interval_seconds": interval_seconds},
        "credentials": credentials,
        "options": options,
        "mapping": {
            "date_format": rest.DATE_FORMAT,
            "fields": fields,
            "event_fields": {"id": "id", "occurred_at": "tanggal", "text": "isi", "actor": "oleh", "status": "status"},
            "statuses": {rest.STATUS[stage]: national for stage, national in NATIONAL_STATUS.items()},
            "categories": {rest.CATEGORY[key]: national for key, national in NATIONAL_CATEGORY.items()},
            "flag_words": FLAG_WORDS[habits.flags],
        },
        **extra,
    }


# What a region file declares for each Open311 flavour (see hub.simulators.open311.habits.FLAVOURS).
OPEN311_OPTIONS: dict[str, dict[str, Any]] = {
    "default": {"requests_path": "/requests.json", "updates_path": "/servicerequestupdates.json"},
    "georeport": {"paging": "windows", "updates": "none"},  # XML only: found out from its answers
    "mysociety": {"paging": "windows", "updates": "mysociety"},
    "legacy": {"format": "xml", "paging": "windows", "updates": "none"},
}
# mySociety's extended statuses, as its servicerequestupdates serve them, in national terms.
EXTENDED_STATUS = {"open": "SUBMITTED", "for_triage": "SUBMITTED", "investigating": "VERIFIED",
                   "internal_referral": "DISPOSITIONED", "action_scheduled": "IN_PROGRESS", "in_progress": "IN_PROGRESS",
                   "reopen": "IN_PROGRESS", "fixed": "RESOLVED", "closed": "CLOSED", "duplicate": "REJECTED",
                   "not_councils_responsibility": "REJECTED", "no_further_action": "REJECTED"}


def open311_entry(code: str, base_url: str, *, api_key_env: str, interval_seconds: float = 5,
                  flavour: str = "default", **extra: Any) -> dict[str, Any]:
    """An Open311 region as a region file declares it, for a simulator of ``flavour``."""
    mysociety = flavour == "mysociety"
    events = ({"id": "update_id", "occurred_at": "updated_datetime", "text": "description", "status": "status"}
              if mysociety else {"id": "update_id", "occurred_at": "updated_datetime", "text": "description",
                                 "actor": "author", "status": "local_status"})
    statuses = {open311.LOCAL_STATUS[stage]: national for stage, national in NATIONAL_STATUS.items()}
    if mysociety:
        statuses.update(EXTENDED_STATUS)
    return {
        "code": code, "connector": "open311", "base_url": base_url, "name": "Open311",
        "schedule": {"interval_seconds": interval_seconds},
        "credentials": {"api_key": api_key_env},
        "options": dict(OPEN311_OPTIONS[flavour]),
        "mapping": {
            "date_format": "iso",
            "fields": {"source_id": "service_request_id", "title": "_title", "body": "description",
                       "status": "local_status", "created_at": "requested_datetime", "updated_at": "updated_datetime",
                       "category": "service_code", "tracking_id": "lapor_tracking_id", "reporter_name": "first_name",
                       "reporter_phone": "phone", "reporter_email": "email", "address": "address",
                       "latitude": "lat", "longitude": "long", "events": "updates"},
            "event_fields": events,
            "statuses": statuses,
            "categories": {open311.SERVICES[key][0]: national for key, national in NATIONAL_CATEGORY.items()},
        },
        **extra,
    }


def csv_entry(code: str, base_url: str, *, interval_seconds: float = 5, **extra: Any) -> dict[str, Any]:
    return {
        "code": code, "connector": "csv", "base_url": base_url, "name": "Ekspor CSV",
        "schedule": {"interval_seconds": interval_seconds},
        "options": {"export_path": "/export/laporan.csv", "since_param": "since", "since_format": "%d-%m-%Y",
                    "delimiter": ";", "last_follow_up_column": "Tindak Lanjut Terakhir"},
        "mapping": {
            "date_format": csv_app.DATE_FORMAT,
            "fields": {"source_id": "No", "title": "Judul", "body": "Isi", "status": "Status",
                       "created_at": "Tanggal Masuk", "updated_at": "Terakhir Diubah", "category": "Kategori",
                       "tracking_id": "Kode LAPOR", "reporter_name": "Nama Pelapor", "reporter_phone": "Telepon",
                       "address": "Alamat", "events": "_follow_ups"},
            "event_fields": {"id": "id", "occurred_at": "at", "text": "text"},
            "statuses": {csv_app.STATUS[stage]: national for stage, national in NATIONAL_STATUS.items()},
            "categories": {csv_app.CATEGORY[key]: national for key, national in NATIONAL_CATEGORY.items()},
        },
        **extra,
    }


def write_region_file(path: Path, entries: list[dict[str, Any]]) -> Path:
    path.write_text(yaml.safe_dump({"regions": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
