"""Reporters following their own complaints: a tracking id and the secret code
handed out on submission open a short-lived REPORTER token for that complaint.

Wrong codes are counted per tracking id in the database (``hub.store.reporter_codes``):
after ``HUB_CODE_MAX_ATTEMPTS`` within ``HUB_CODE_ATTEMPT_WINDOW_SECONDS`` further
attempts are refused with the time to wait. An unknown tracking id and a wrong
code read the same, so codes cannot be used to learn which tracking ids exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.domain.vocabulary import Role
from hub.resolvers.context import Context
from hub.resolvers.failures import Invalid, Missing
from hub.store.models import Complaint
from hub.store.reporter_codes import open_with_code
from hub.tokens import issue_token


class TooManyAttempts(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many wrong codes for this tracking id; try again in {int(retry_after + 0.999)} seconds")
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class ReporterAccess:
    token: str
    expires_at: datetime
    complaint_id: int


async def open_complaint(ctx: Context, tracking_id: str, code: str) -> ReporterAccess:
    tracking = (tracking_id or "").strip().upper()
    if not tracking or len(tracking) > 40:
        raise Invalid("give the complaint's tracking id, e.g. LPR-2025-0000123", "trackingId")
    if not code or len(code) > 64:
        raise Invalid("give the secret code you received when you filed the complaint", "code")
    settings = ctx.settings
    async with ctx.write() as session:
        opening = await open_with_code(session, tracking, code, now=ctx.now, max_attempts=settings.code_max_attempts,
                                       window=timedelta(seconds=settings.code_attempt_window_seconds))
    if opening.retry_after is not None:
        raise TooManyAttempts(opening.retry_after)
    if opening.complaint_id is None:
        raise Missing("no complaint has this tracking id and code")
    ttl = timedelta(minutes=settings.reporter_token_minutes)
    token = issue_token(secret=settings.secret, algorithm=settings.jwt_algorithm, role=Role.REPORTER,
                        complaint_ids=[opening.complaint_id], subject="pelapor", ttl=ttl,
                        issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    return ReporterAccess(token=token, expires_at=ctx.now + ttl, complaint_id=opening.complaint_id)


async def opened_complaint(ctx: Context, access: ReporterAccess) -> Complaint | None:
    """The complaint a reporter's code just opened (null if it has gone since)."""
    async with ctx.write() as session:
        return await session.get(Complaint, access.complaint_id)
