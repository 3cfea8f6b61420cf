"""Keeping a reporter's identity (name, phone, e-mail, NIK, their address) out
of what the caller may not know: one redaction, used on every path.

Two kinds of text carry an identity the hub did not put there itself:

- **raw regional payloads** (a rejected record's ``raw``, its ``reason``): a
  record as a region served it, whose reporter fields are known by name
  (``pelapor``, ``nama_pelapor``, ``first_name``, ``email``, ``no_hp``, the
  region's mapping paths) and whose free text may still hold an e-mail
  address, a phone number or a NIK. :func:`redact_raw` replaces the values
  of reporter fields and any such pattern with :data:`REDACTED`; only a
  national admin reads them as the region sent them
  (:func:`hub.domain.access.sees_raw_identity`);
- **actors**: who did something, as a region or a webhook hears it.
  :func:`outbound_actor` names a reporter of an anonymous or confidential
  complaint as :data:`~hub.domain.access.HIDDEN_REPORTER` (or the region's
  own word for it); :func:`is_reporter` tells a regional event written by
  the reporter, so its actor is withheld like any other reporter's.

Logs go through :func:`redact_text` as well (``hub.observability.logs``).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from hub.domain.access import HIDDEN_REPORTER
from hub.domain.changes import OutboundChange
from hub.domain.vocabulary import Privacy, Role

REDACTED = "[dirahasiakan]"

# Field names (lower case, letters and digits only) that hold a reporter's identity wherever they appear.
IDENTITY_FIELDS = frozenset({
    "nama", "namapelapor", "namalengkap", "name", "firstname", "lastname", "fullname", "reportername",
    "telepon", "telp", "notelp", "notelepon", "phone", "phonenumber", "nohp", "hp", "handphone", "msisdn",
    "reporterphone", "email", "surel", "emailaddress", "reporteremail", "nik", "noktp", "ktp", "nomorinduk",
    "alamatpelapor", "reporteraddress", "pelapor", "reporter", "namapengadu", "author", "oleh",
})
# Objects whose every value is the reporter's (except the flags saying how private the complaint is).
REPORTER_OBJECTS = frozenset({"pelapor", "reporter", "pengadu", "requester", "contact", "kontak"})
FLAG_FIELDS = frozenset({"anonim", "anonymous", "rahasia", "confidential", "sifat"})

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Indonesian numbers: mobile 08xx / +62 8xx, and landlines with an area code, (0274) 123 4567
PHONE = re.compile(r"(?<![\w+(])(?:\+62[\s-]?|62|\(?0)(?:8\d{1,2}|\(?\d{2,3}\)?)[\s.-]?\d{3,4}[\s.-]?\d{3,5}(?!\d)")
NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")  # nomor induk kependudukan


def _field(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def redact_text(text: str, *, known: Iterable[str | None] = ()) -> str:
    """``text`` without e-mail addresses, phone numbers, NIKs or any of the ``known`` identity values."""
    for value in known:
        if value and len(value.strip()) >= 3:
            text = re.sub(re.escape(value.strip()), REDACTED, text, flags=re.IGNORECASE)
    text = EMAIL.sub(REDACTED, text)
    text = NIK.sub(REDACTED, text)
    return PHONE.sub(REDACTED, text)


def redact_record(value: Any, *, paths: Iterable[str] = (), known: Iterable[str | None] = ()) -> Any:
    """A regional record (dicts and lists) with its reporter's fields and identity patterns redacted.

    ``paths`` are dotted paths the region's mapping reads the reporter from (``pelapor.nama``).
    """
    wanted = {tuple(_field(part) for part in path.split(".")) for path in paths if path}
    known = tuple(known)

    def walk(item: Any, at: tuple[str, ...], hidden: bool) -> Any:
        if isinstance(item, Mapping):
            out = {}
            for key, inner in item.items():
                name = _field(str(key))
                here = (*at, name)
                if name in FLAG_FIELDS:
                    out[key] = inner
                    continue
                out[key] = walk(inner, here, hidden or name in REPORTER_OBJECTS or name in IDENTITY_FIELDS
                                or here in wanted)
            return out
        if isinstance(item, list):
            return [walk(inner, at, hidden) for inner in item]
        if hidden and item is not None and not isinstance(item, bool):
            return REDACTED
        if isinstance(item, str):
            return redact_text(item, known=known)
        return item

    return walk(value, (), False)


def redact_raw(raw: str, *, paths: Iterable[str] = (), known: Iterable[str | None] = ()) -> str:
    """A raw payload as stored (JSON text, or a line of CSV or HTML) with the reporter's identity redacted."""
    try:
        parsed = json.loads(raw)
    except ValueError:
        return redact_text(raw, known=known)
    if not isinstance(parsed, dict | list):
        return redact_text(raw, known=known)
    return json.dumps(redact_record(parsed, paths=paths, known=known), ensure_ascii=False, sort_keys=True)


def hides_actor(privacy: Privacy) -> bool:
    """Whether a reporter acting on a complaint of ``privacy`` is withheld from regions and subscribers."""
    return privacy in (Privacy.ANONYMOUS, Privacy.CONFIDENTIAL)


def outbound_actor(name: str, role: Role | None, privacy: Privacy, *, hidden: str = HIDDEN_REPORTER) -> str:
    """The actor as a region may hear it: the reporter of an anonymous or confidential complaint is never named."""
    if role in (Role.REPORTER, Role.PUBLIC) and hides_actor(privacy):
        return hidden
    return name


def reporter_words(*identity: str | None) -> frozenset[str]:
    """The reporter's name, phone and e-mail as :func:`is_reporter` compares them (read once per record)."""
    return frozenset(value.strip().casefold() for value in identity if value and value.strip())


def is_reporter(actor: str | None, words: frozenset[str]) -> bool:
    """Whether a regional event's ``actor`` is the reporter: one of their :func:`reporter_words`."""
    return actor is not None and actor.strip().casefold() in words


def in_region_words(change: OutboundChange, hidden: str) -> OutboundChange:
    """``change`` with a withheld reporter named in the region's own words (``RegionConfig.hidden_reporter``)."""
    if change.actor != HIDDEN_REPORTER or hidden == HIDDEN_REPORTER:
        return change
    return dataclasses.replace(change, actor=hidden)
