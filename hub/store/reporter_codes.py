"""Secret codes that let whoever filed a complaint follow it without an account.

Submitting hands out, once, a random code (80 bits, ``K7QM-2XPA-9RTD-M3VB``);
only its SHA-256 digest is kept. Opening a complaint with its tracking id and
code is an attempt: attempts are rows, counted per tracking id within a
window, so every hub process sees the same count and guessing stops after a
few wrong codes, whichever process answers.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.store.models import Complaint
from hub.store.privacy_models import CodeAttempt, ReporterCode

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U to misread
GROUPS, GROUP = 4, 4


def new_code() -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(GROUP)) for _ in range(GROUPS))


def normalized(code: str) -> str:
    """The code as typed, in any case, with or without dashes and spaces; O and I read as 0 and 1."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return cleaned.replace("O", "0").replace("I", "1").replace("L", "1")


def digest(code: str) -> str:
    return hashlib.sha256(normalized(code).encode()).hexdigest()


async def keep_code(session: AsyncSession, complaint_id: int, *, now: datetime) -> str:
    """A new code for the complaint; the code itself is returned once and never stored."""
    code = new_code()
    session.add(ReporterCode(complaint_id=complaint_id, code_hash=digest(code), created_at=now))
    return code


@dataclass(frozen=True, slots=True)
class Opening:
    complaint_id: int | None  # the complaint the code opens; None: wrong tracking id or code
    retry_after: float | None = None  # seconds until another attempt is heard, when refused


async def open_with_code(
    session: AsyncSession, tracking_id: str, code: str, *, now: datetime, max_attempts: int, window: timedelta,
) -> Opening:
    """Check a code against a tracking id, unless too many wrong codes were tried for it lately."""
    since = now - window
    failed, oldest = (await session.execute(
        select(func.count(), func.min(CodeAttempt.attempted_at))
        .where(CodeAttempt.tracking_id == tracking_id, CodeAttempt.attempted_at > since, CodeAttempt.succeeded.is_(False))
    )).one()
    if failed >= max_attempts:
        return Opening(None, retry_after=max(1.0, (oldest + window - now).total_seconds()))
    found = (await session.execute(
        select(Complaint.id, ReporterCode.code_hash)
        .join(ReporterCode, ReporterCode.complaint_id == Complaint.id)
        .where(Complaint.tracking_id == tracking_id)
    )).first()
    matches = found is not None and hmac.compare_digest(found.code_hash, digest(code))
    session.add(CodeAttempt(tracking_id=tracking_id, attempted_at=now, succeeded=matches))
    return Opening(found.id if matches and found is not None else None)
