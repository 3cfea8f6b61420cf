"""Redacting a reporter's identity from raw regional payloads, free text and actors."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hub.domain.access import HIDDEN_REPORTER
from hub.domain.changes import CommentChange
from hub.domain.redaction import (
    REDACTED,
    in_region_words,
    is_reporter,
    outbound_actor,
    redact_raw,
    redact_text,
    reporter_words,
)
from hub.domain.vocabulary import Privacy, Role, Status


def test_phone_numbers_emails_and_niks_are_redacted_but_dates_and_ids_stay():
    for identity in ("0812 3456 7890", "081234567890", "+62-21-5551234", "(0274) 123 4567", "+62 812-3456-789",
                     "budi.santoso@example.co.id", "3171234567890123"):
        assert redact_text(f"hubungi {identity} segera") == f"hubungi {REDACTED} segera", identity
    for kept in ("01-03-2026 10:00", "2026-03-01T10:00:00+07:00", "31/02/2026 25:61:00", "LPR-2025-0000123",
                 "lat -6.2088", "id 123456"):
        assert redact_text(kept) == kept


def test_a_raw_record_loses_its_reporter_fields_whatever_their_names_and_keeps_the_rest():
    raw = json.dumps({
        "id": 7, "judul": "Jalan rusak", "status": "Sedang Dikaji Ulang",
        "pelapor": {"nama": "Siti Rahayu", "telepon": "0812 1111 2222", "email": "siti@contoh.id", "anonim": True},
        "first_name": "Siti", "kontak_darurat": "siti@contoh.id", "lokasi": {"alamat": "Jl. Merdeka 1"},
        "tanggapan": [{"oleh": "Siti Rahayu", "isi": "Saya bisa dihubungi di 0812 1111 2222"}],
        "custom": {"who": "Siti Rahayu"},
    })
    shown = redact_raw(raw, paths=["custom.who"])
    assert "Siti" not in shown and "0812" not in shown and "siti@" not in shown
    parsed = json.loads(shown)
    assert parsed["judul"] == "Jalan rusak" and parsed["status"] == "Sedang Dikaji Ulang"
    assert parsed["pelapor"]["anonim"] is True and parsed["lokasi"]["alamat"] == "Jl. Merdeka 1"


def test_a_raw_line_that_is_not_json_is_redacted_as_text():
    assert redact_raw("12;Jalan rusak;Budi;0812 3333 4444;b@x.id", known=["Budi"]) == \
        f"12;Jalan rusak;{REDACTED};{REDACTED};{REDACTED}"


def test_a_reporter_acting_on_an_anonymous_or_confidential_complaint_is_never_named_to_a_region():
    for privacy in (Privacy.ANONYMOUS, Privacy.CONFIDENTIAL):
        assert outbound_actor("siti@contoh.id", Role.REPORTER, privacy) == HIDDEN_REPORTER
        assert outbound_actor("Siti", Role.PUBLIC, privacy, hidden="Anonim") == "Anonim"
        assert outbound_actor("admin.kota", Role.REGION_ADMIN, privacy) == "admin.kota"
    assert outbound_actor("Siti", Role.REPORTER, Privacy.PUBLIC) == "Siti"


def test_a_regional_event_by_the_reporter_is_recognised_by_name_phone_or_email():
    assert is_reporter(" siti rahayu ", reporter_words("Siti Rahayu", None, None))
    assert is_reporter("siti@contoh.id", reporter_words(None, None, "SITI@contoh.id"))
    assert not is_reporter("Petugas Dinas", reporter_words("Siti Rahayu", "0812", "siti@contoh.id"))
    assert not is_reporter(None, reporter_words("Siti Rahayu"))


def test_a_withheld_reporter_reaches_a_region_in_its_own_words():
    change = CommentChange(tracking_id="LPR-2025-0000001", occurred_at=datetime(2025, 3, 3, tzinfo=UTC),
                           actor=HIDDEN_REPORTER, actor_role=Role.REPORTER, status=Status.IN_PROGRESS, text="Terima kasih")
    assert in_region_words(change, "Pengadu (rahasia)").actor == "Pengadu (rahasia)"
    assert in_region_words(change, HIDDEN_REPORTER) is change
    named = CommentChange(**{**{f: getattr(change, f) for f in ("tracking_id", "occurred_at", "actor_role", "status",
                                                                    "text")}, "actor": "admin.kota"})
    assert in_region_words(named, "Pengadu (rahasia)").actor == "admin.kota"
