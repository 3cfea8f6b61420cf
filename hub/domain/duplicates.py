"""When two complaints are likely one filed twice: the similarity rule, pure.

The same person often files one complaint through two doors (the web form,
then an SMS to 1708), or a regional app and the hub both hold it. Two
complaints are *likely duplicates* when all of these hold:

- the same reporter contact: a phone number (compared as digits, with the
  country code ``62`` and a leading ``0`` made one) or an e-mail address
  (case-insensitive);
- the same region;
- filed within 7 days of each other;
- similar text: the ``difflib`` ratio of title and body, case-folded, is at
  least 0.6.

A flag is raised for a national or region admin to decide (merge or
dismiss); nothing is merged automatically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from difflib import SequenceMatcher

WINDOW = timedelta(days=7)
THRESHOLD = 0.6

_NOT_DIGITS = re.compile(r"\D+")


def phone_key(phone: str | None) -> str | None:
    """A phone number as comparable digits: ``+62 812-3456-7890`` and ``081234567890`` are one."""
    digits = _NOT_DIGITS.sub("", phone or "")
    if digits.startswith("62"):
        digits = digits[2:]
    digits = digits.lstrip("0")
    return digits or None


def phone_spellings(phone: str | None) -> tuple[str, ...]:
    """The common ways the same number is stored (``08…``, ``628…``, ``+628…``), for a lookup."""
    key = phone_key(phone)
    if key is None:
        return ()
    return (f"0{key}", f"62{key}", f"+62{key}")


def contact_keys(phone: str | None, email: str | None) -> frozenset[str]:
    keys = set()
    if (number := phone_key(phone)) is not None:
        keys.add(f"tel:{number}")
    if email and email.strip():
        keys.add(f"mail:{email.strip().casefold()}")
    return frozenset(keys)


@dataclass(frozen=True, slots=True)
class Filed:
    """What the rule reads of a complaint."""

    id: int
    region_code: str
    created_at: datetime
    title: str
    body: str
    contacts: frozenset[str]  # contact_keys of its reporter


@dataclass(frozen=True, slots=True)
class Match:
    similarity: float
    reason: str


def similarity(a: Filed, b: Filed) -> float:
    left = f"{a.title}\n{a.body}".casefold()
    right = f"{b.title}\n{b.body}".casefold()
    return SequenceMatcher(None, left, right).ratio()


def filed_before(one: Filed, other: Filed) -> bool:
    """Whether ``one`` was filed before ``other``: by the second (regional apps keep whole seconds,
    so a finer comparison would let a later filing look earlier), then by which the hub knew first."""
    return (one.created_at.replace(microsecond=0), one.id) < (other.created_at.replace(microsecond=0), other.id)


def likely_duplicate(later: Filed, earlier: Filed) -> Match | None:
    """Whether ``later`` looks like ``earlier`` filed again (order matters: one flag per pair)."""
    if later.id == earlier.id or later.region_code != earlier.region_code:
        return None
    if filed_before(later, earlier):
        return None
    apart = abs(later.created_at - earlier.created_at)
    if apart > WINDOW or not (later.contacts & earlier.contacts):
        return None
    score = similarity(later, earlier)
    if score < THRESHOLD:
        return None
    return Match(similarity=round(score, 3),
                 reason=f"same reporter, same region, filed {apart.days} day(s) apart, text {score:.0%} similar")
