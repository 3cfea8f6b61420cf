"""Exports of the complaint list: who may ask, and the signed link that carries the request.

``complaintsExport(filter:, format:)`` checks the filter exactly as the list
does and answers a link to ``/export/complaints.csv`` (or ``.xlsx``). The
link carries a ticket: the caller's scope and the filter, signed with a key
derived from the hub's secret and valid for ``EXPORT_TICKET_SECONDS``, so a
browser can open it without a header and nobody can widen it. Exports are for
staff: a public caller is refused (the public list stays paged).
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import jwt

from hub.domain.access import Viewer
from hub.domain.escalation import EscalationLevel
from hub.domain.vocabulary import Channel, ComplaintType, Role, Status
from hub.resolvers.context import Context
from hub.resolvers.errors import NotAllowed
from hub.store.complaint_queries import ComplaintFilter

EXPORT_TICKET_SECONDS = 600
_LABEL = b"lapor-hub exports v1"
_ENUMS = {"statuses": Status, "types": ComplaintType, "channels": Channel, "escalation_levels": EscalationLevel}


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class InvalidTicket(Exception):
    pass


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), _LABEL, hashlib.sha256).digest()


def _filter_claims(where: ComplaintFilter) -> dict[str, Any]:
    claims: dict[str, Any] = {}
    for name, value in asdict(where).items():
        if isinstance(value, datetime):
            claims[name] = value.isoformat()
        elif isinstance(value, (list, tuple)):
            claims[name] = [item.value if isinstance(item, enum.Enum) else item for item in value]
        else:
            claims[name] = value
    return claims


def _filter_of(claims: dict[str, Any]) -> ComplaintFilter:
    given = dict(claims)
    for name in ("created_from", "created_to", "resolve_due_from", "resolve_due_to"):
        if given.get(name):
            given[name] = datetime.fromisoformat(given[name])
    for name, kind in _ENUMS.items():
        given[name] = tuple(kind(item) for item in given.get(name) or ())
    for name in ("region_codes", "category_codes", "agency_ids"):
        given[name] = tuple(given.get(name) or ())
    for name in ("within", "near"):
        given[name] = tuple(given[name]) if given.get(name) else None
    return ComplaintFilter(**given)


def issue_ticket(secret: str, viewer: Viewer, where: ComplaintFilter, *, now: datetime) -> tuple[str, datetime]:
    expires = now + timedelta(seconds=EXPORT_TICKET_SECONDS)
    claims = {
        "role": viewer.role.value, "regions": sorted(viewer.region_codes), "agency": viewer.agency_id,
        "sub": viewer.subject, "filter": _filter_claims(where), "exp": int(expires.timestamp()),
    }
    return jwt.encode(claims, _key(secret), algorithm="HS256"), expires


def read_ticket(secret: str, ticket: str) -> tuple[Viewer, ComplaintFilter]:
    """The scope and filter a ticket was issued for; :class:`InvalidTicket` if altered or expired."""
    try:
        claims = jwt.decode(ticket, _key(secret), algorithms=["HS256"], options={"require": ["exp", "role"]})
        viewer = Viewer(role=Role(claims["role"]), region_codes=frozenset(claims.get("regions") or ()),
                        agency_id=claims.get("agency"), subject=claims.get("sub"))
        return viewer, _filter_of(claims.get("filter") or {})
    except (jwt.PyJWTError, ValueError, TypeError, KeyError) as exc:
        raise InvalidTicket("this export link is not valid or has expired; ask for the export again") from exc


def export_link(ctx: Context, where: ComplaintFilter, fmt: ExportFormat) -> tuple[str, datetime]:
    if not ctx.viewer.is_staff:
        raise NotAllowed("exports are for staff; sign in as an agency officer or an admin")
    ticket, expires = issue_ticket(ctx.settings.secret, ctx.viewer, where, now=ctx.now)
    base = ctx.settings.public_url.rstrip("/")
    return f"{base}/export/complaints.{fmt.value}?{urlencode({'ticket': ticket})}", expires
