"""What a reporter reads: every SMS fits 160 GSM characters with its tracking id and link; e-mails say it in full."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hub.domain.changes import ResolveChange, TransferChange, VerifyChange
from hub.domain.messages import msisdn
from hub.domain.notice_texts import email, gsm_safe, sms_text, tracking_link
from hub.domain.notices import (
    TOLD_TO_REPORTER,
    DispositionedNotice,
    FollowedUpNotice,
    NoticeKind,
    PostponedNotice,
    RejectedNotice,
    ResolvedNotice,
    TransferredNotice,
    VerifiedNotice,
    notice_from_payload,
    notice_of_change,
    notice_of_status,
    notice_payload,
)
from hub.domain.vocabulary import Role, Status

WHEN = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
COMMON = {"tracking_id": "LPR-2025-0000123", "occurred_at": WHEN, "status": Status.VERIFIED, "region_code": "19.71",
          "source_system": "lapor-hub"}
LINK = tracking_link("https://lapor.go.id/", "/lacak/{tracking_id}", "LPR-2025-0000123")
LONG = "Petugas “meninjau” lokasi—jalan berlubang [dekat] pasar {lama} ~ sekitar 200 m², perlu alat berat 🚜. " * 4
GSM_BASIC = set(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")

NOTICES = [
    VerifiedNotice(**COMMON),
    DispositionedNotice(**COMMON, agency_name="Dinas Pekerjaan Umum dan Penataan Ruang " * 3),
    FollowedUpNotice(**COMMON, text=LONG),
    FollowedUpNotice(**COMMON),
    ResolvedNotice(**COMMON, text=LONG, answer_due=datetime(2025, 3, 17, 16, 59, tzinfo=UTC), answer_days=10),
    PostponedNotice(**COMMON, reason=LONG),
    RejectedNotice(**COMMON, reason=LONG),
    TransferredNotice(**COMMON, from_region_code="19.71", to_region_code="19.04", reason=LONG),
]


def test_link_joins_the_public_url_and_the_tracking_path():
    assert LINK == "https://lapor.go.id/lacak/LPR-2025-0000123"


@pytest.mark.parametrize("notice", NOTICES, ids=lambda n: type(n).__name__)
def test_every_sms_fits_one_gsm_message_with_the_tracking_id_and_the_link(notice):
    text = sms_text(notice, link=LINK, to_region_name="Kabupaten Bangka Tengah")
    assert len(text) <= 160
    assert set(text) <= GSM_BASIC, set(text) - GSM_BASIC  # no UCS-2 switch, no escaped characters
    assert "LPR-2025-0000123" in text and text.endswith(LINK)


def test_a_shortened_text_ends_with_dots_and_the_sms_still_reads():
    text = sms_text(PostponedNotice(**COMMON, reason=LONG), link=LINK)
    assert text.startswith("LAPOR! LPR-2025-0000123 ditunda, mohon lengkapi: Petugas \"meninjau\" lokasi-jalan")
    assert "... " in text


def test_the_resolved_sms_gives_the_answer_window_in_the_regions_own_date():
    text = sms_text(NOTICES[4], link=LINK)
    assert "10 hari kerja (s.d. 17/03/2025)" in text  # 23:59 WIB on the 17th
    mail = email(NOTICES[4], link=LINK, reporter_name="Siti")
    assert "10 hari kerja (s.d. 17 Maret 2025)" in mail.body


def test_a_transfer_names_the_region_it_went_to():
    assert "dialihkan ke Kabupaten Bangka Tengah" in sms_text(NOTICES[-1], link=LINK,
                                                              to_region_name="Kabupaten Bangka Tengah")
    assert "Kabupaten Bangka Tengah" in email(NOTICES[-1], link=LINK, to_region_name="Kabupaten Bangka Tengah").body


def test_an_email_carries_the_whole_text_the_id_and_the_link():
    mail = email(RejectedNotice(**COMMON, reason=LONG), link=LINK, reporter_name="Siti Rahayu")
    assert mail.subject == "[LAPOR!] Laporan LPR-2025-0000123 ditolak"
    assert mail.body.startswith("Yth. Siti Rahayu,") and LONG in mail.body
    assert "Nomor laporan: LPR-2025-0000123" in mail.body and LINK in mail.body


def test_gsm_safe_keeps_words_and_drops_what_a_phone_would_switch_alphabet_for():
    assert gsm_safe("Jalan Sudirman “Kav. 5” — café\n[RT 03]") == 'Jalan Sudirman "Kav. 5" - cafe (RT 03)'


def test_reporters_hear_of_the_seven_moves_the_guideline_names():
    assert TOLD_TO_REPORTER == {NoticeKind.VERIFIED, NoticeKind.DISPOSITIONED, NoticeKind.FOLLOWED_UP,
                                NoticeKind.RESOLVED, NoticeKind.POSTPONED, NoticeKind.REJECTED, NoticeKind.TRANSFERRED}


def test_notices_come_from_changes_and_from_regional_statuses_and_read_back_the_same():
    change = ResolveChange(tracking_id="LPR-2025-0000123", occurred_at=WHEN, actor="petugas", actor_role=Role.AGENCY_OFFICER,
                           status=Status.RESOLVED, text="Sudah diperbaiki")
    notice = notice_of_change(change, region_code="19.71", source_system="lapor-hub", answer_due=WHEN, answer_days=10)
    assert isinstance(notice, ResolvedNotice) and notice.answer_days == 10
    assert notice_from_payload(notice.kind.value, notice_payload(notice)) == notice
    moved = notice_of_change(TransferChange(tracking_id="LPR-2025-0000123", occurred_at=WHEN, actor="admin",
                                            actor_role=Role.REGION_ADMIN, status=Status.VERIFIED,
                                            from_region_code="19.71", to_region_code="19.04", reason="wilayah"),
                             region_code="19.71", source_system="lapor-hub")
    assert isinstance(moved, TransferredNotice) and moved.region_code == "19.04"
    assert isinstance(notice_of_change(VerifyChange(tracking_id="x", occurred_at=WHEN, actor="a", actor_role=None,
                                                    status=Status.VERIFIED), region_code="19.71",
                                       source_system="lapor-hub"), VerifiedNotice)
    regional = {to: type(notice_of_status(previous=before, status=to, tracking_id="x", occurred_at=WHEN,
                                          region_code="19.71", source_system="rest:19.71")).__name__
                for before, to in [(Status.SUBMITTED, Status.VERIFIED), (Status.DISPOSITIONED, Status.IN_PROGRESS),
                                   (Status.IN_PROGRESS, Status.RESOLVED), (Status.SUBMITTED, Status.REJECTED),
                                   (Status.SUBMITTED, Status.ARCHIVED)]}
    assert regional == {Status.VERIFIED: "VerifiedNotice", Status.IN_PROGRESS: "FollowedUpNotice",
                        Status.RESOLVED: "ResolvedNotice", Status.REJECTED: "RejectedNotice",
                        Status.ARCHIVED: "StatusChangedNotice"}
    assert type(notice_of_status(previous=Status.DISPOSITIONED, status=Status.VERIFIED, tracking_id="x",
                                 occurred_at=WHEN, region_code="19.71", source_system="r")).__name__ == "ReturnedNotice"


@pytest.mark.parametrize(("given", "expected"), [
    ("081234567890", "+6281234567890"), ("0812-3456-7890", "+6281234567890"), ("+62 812 3456 7890", "+6281234567890"),
    ("6281234567890", "+6281234567890"), ("12345", None), ("bukan nomor", None), (None, None),
])
def test_phone_numbers_become_e164(given, expected):
    assert msisdn(given) == expected
