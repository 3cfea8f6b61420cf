"""What a reporter's notification carries on its way: one type per channel.

The dispatcher's fan-out writes an :class:`EmailMessage` or an
:class:`SmsMessage` into an outbox row (the words are fixed when the row is
written, so a retry sends the same text); the channel that delivers it reads
the same class back. A webhook delivery carries the body of
:func:`hub.domain.webhook_events.event_body` instead.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from typing import Any

from hub.domain.changes import ChangeFormatError, build_from_payload, to_payload


@dataclass(frozen=True, slots=True, kw_only=True)
class EmailMessage:
    to: str
    subject: str
    body: str
    tracking_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsMessage:
    to: str  # E.164, e.g. +6281234567890
    text: str  # at most 160 GSM characters
    tracking_id: str


Message = EmailMessage | SmsMessage

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def message_payload(message: Message) -> dict[str, Any]:
    return to_payload(message)


def message_from_payload(cls: type[Message], payload: dict[str, Any]) -> Message:
    return typing.cast(Message, build_from_payload(cls, payload, cls.__name__))


def email_address(value: str | None) -> str | None:
    """``value`` if it looks like an e-mail address a message can go to."""
    value = (value or "").strip()
    return value if _EMAIL.match(value) else None


def msisdn(phone: str | None) -> str | None:
    """An Indonesian phone number as E.164 (``0812...`` and ``62812...`` become ``+62812...``); None if not one."""
    digits = re.sub(r"[\s\-().]", "", phone or "")
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("0"):
        digits = "62" + digits[1:]
    if not digits.isdigit() or not 9 <= len(digits) <= 15:
        return None
    return "+" + digits


__all__ = ["ChangeFormatError", "EmailMessage", "Message", "SmsMessage", "email_address", "message_from_payload",
           "message_payload", "msisdn"]
