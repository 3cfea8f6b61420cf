"""The words a reporter reads: an SMS of at most 160 characters and an e-mail, in Indonesian.

Every message names the tracking id and links to the complaint
(``HUB_PUBLIC_URL`` + ``HUB_TRACKING_PATH``). An SMS is kept to the GSM 7-bit
alphabet's ASCII part (a single curly quote or emoji would switch a phone to
UCS-2 and cut the limit to 70), and what a person wrote (a reason, a
follow-up) is shortened with ``...`` so the fixed words, the id and the link
always fit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from hub.domain.notices import (
    DispositionedNotice,
    FollowedUpNotice,
    Notice,
    PostponedNotice,
    RejectedNotice,
    ResolvedNotice,
    TransferredNotice,
    VerifiedNotice,
)
from hub.domain.regions import timezone_for

SMS_LIMIT = 160
_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember")
# GSM 03.38 escapes these with a second character; replaced so every character counts once
_GSM_EXTENDED = str.maketrans({"[": "(", "]": ")", "{": "(", "}": ")", "~": "-", "^": "'", "\\": "/", "|": "/",
                               "`": "'"})
_PUNCTUATION = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                              "\u2014": "-", "\u2026": "...", "\u00a0": " "})


@dataclass(frozen=True, slots=True)
class Email:
    subject: str
    body: str


def tracking_link(public_url: str, tracking_path: str, tracking_id: str) -> str:
    return public_url.rstrip("/") + tracking_path.replace("{tracking_id}", tracking_id)


def gsm_safe(text: str) -> str:
    """``text`` in printable ASCII without GSM escape characters; accents dropped, the rest replaced."""
    text = unicodedata.normalize("NFKD", text.translate(_PUNCTUATION))
    plain = "".join(ch for ch in text if not unicodedata.combining(ch))
    plain = re.sub(r"\s+", " ", plain)  # newlines and tabs become single spaces
    return "".join(ch if " " <= ch <= "~" else "?" for ch in plain).translate(_GSM_EXTENDED)


def _fit(before: str, free: str | None, after: str, *, limit: int = SMS_LIMIT) -> str:
    """``before + free + after`` within ``limit``, shortening only ``free``."""
    before, after = gsm_safe(before), gsm_safe(after)
    room = limit - len(before) - len(after)
    words = gsm_safe(free or "").rstrip(" .")
    if room <= 0 or not words:
        return (before + after)[:limit]
    if len(words) > room:
        words = words[: max(0, room - 3)].rstrip(" .") + "..."
        after = after.removeprefix(".")
    return before + words + after


def local_date(moment: datetime, region_code: str, *, long: bool = False) -> str:
    day = moment.astimezone(timezone_for(region_code)).date()
    if long:
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return day.strftime("%d/%m/%Y")


def _window(notice: ResolvedNotice, *, long: bool) -> str:
    days = f"{notice.answer_days} hari kerja" if notice.answer_days else None
    until = local_date(notice.answer_due, notice.region_code, long=long) if notice.answer_due else None
    if days and until:
        return f"{days} (s.d. {until})"
    return days or (f"s.d. {until}" if until else "10 hari kerja")


def sms_text(notice: Notice, *, link: str, to_region_name: str | None = None) -> str:
    """The SMS for ``notice``: at most 160 GSM characters, with the tracking id and the link."""
    head = f"LAPOR! {notice.tracking_id}"
    match notice:
        case VerifiedNotice():
            return _fit(f"{head}: laporan Anda telah diverifikasi dan akan diteruskan ke instansi berwenang.", None,
                        f" Pantau: {link}")
        case DispositionedNotice():
            return _fit(f"{head}: laporan Anda diteruskan ke ", notice.agency_name or "instansi berwenang",
                        f". Pantau: {link}")
        case FollowedUpNotice() if notice.text:
            return _fit(f"{head} ditindaklanjuti: ", notice.text, f". Pantau: {link}")
        case FollowedUpNotice():
            return _fit(f"{head}: laporan Anda sedang ditindaklanjuti.", None, f" Pantau: {link}")
        case ResolvedNotice():
            return _fit(f"{head} selesai ditindaklanjuti. Beri tanggapan dalam {_window(notice, long=False)}:",
                        None, f" {link}")
        case PostponedNotice():
            return _fit(f"{head} ditunda, mohon lengkapi: ", notice.reason or "detail laporan", f". {link}")
        case RejectedNotice():
            return _fit(f"{head} ditolak: ", notice.reason or "tidak memenuhi syarat", f". Info: {link}")
        case TransferredNotice():
            return _fit(f"{head}: laporan Anda dialihkan ke ", to_region_name or notice.to_region_code,
                        f". Pantau: {link}")
    return _fit(f"{head}: status laporan Anda kini {notice.status.value}.", None, f" Pantau: {link}")


def email(notice: Notice, *, link: str, reporter_name: str | None = None, to_region_name: str | None = None) -> Email:
    """The e-mail for ``notice``: a subject with the tracking id, and a plain-text body."""
    tid = notice.tracking_id
    lines: list[str] = []
    match notice:
        case VerifiedNotice():
            subject = f"Laporan {tid} telah diverifikasi"
            lines.append("Laporan Anda telah diverifikasi dan akan diteruskan ke instansi yang berwenang.")
        case DispositionedNotice():
            subject = f"Laporan {tid} diteruskan ke instansi"
            lines.append(f"Laporan Anda telah diteruskan ke {notice.agency_name or 'instansi yang berwenang'} "
                         "untuk ditindaklanjuti.")
        case FollowedUpNotice():
            subject = f"Tindak lanjut laporan {tid}"
            lines.append("Laporan Anda sedang ditindaklanjuti.")
            if notice.text:
                lines += ["", "Tindak lanjut:", notice.text]
        case ResolvedNotice():
            subject = f"Laporan {tid} selesai ditindaklanjuti"
            lines.append("Laporan Anda telah selesai ditindaklanjuti.")
            if notice.text:
                lines += ["", notice.text]
            lines += ["", f"Anda dapat memberi tanggapan atau penilaian dalam {_window(notice, long=True)}. "
                          "Tanpa tanggapan, laporan akan ditutup."]
        case PostponedNotice():
            subject = f"Laporan {tid} ditunda: mohon lengkapi"
            lines.append("Laporan Anda ditunda karena memerlukan keterangan tambahan.")
            if notice.reason:
                lines += ["", "Yang perlu dilengkapi:", notice.reason]
            lines += ["", "Silakan lengkapi laporan Anda melalui tautan di bawah."]
        case RejectedNotice():
            subject = f"Laporan {tid} ditolak"
            lines.append("Mohon maaf, laporan Anda tidak dapat diproses.")
            if notice.reason:
                lines += ["", "Alasan:", notice.reason]
        case TransferredNotice():
            subject = f"Laporan {tid} dialihkan"
            lines.append(f"Laporan Anda dialihkan ke {to_region_name or notice.to_region_code}, "
                         "yang berwenang menanganinya.")
            if notice.reason:
                lines += ["", "Alasan:", notice.reason]
        case _:
            subject = f"Perkembangan laporan {tid}"
            lines.append(f"Status laporan Anda kini {notice.status.value}.")
    body = "\n".join([
        f"Yth. {reporter_name or 'Pelapor'},", "", *lines, "",
        f"Nomor laporan: {tid}", f"Ikuti perkembangan laporan Anda: {link}", "",
        "Pesan ini dikirim otomatis oleh LAPOR! (SP4N-LAPOR!); mohon tidak membalas e-mail ini.",
    ])
    return Email(subject=f"[LAPOR!] {subject}", body=body)
