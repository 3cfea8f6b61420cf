"""What a webhook subscriber receives: the event body a delivery signs, cut to the subscriber's scope.

A subscription has a scope: ``NATIONAL``, a ``REGION`` (a province code
covers its regencies and cities) or an ``AGENCY``. The scope is read as the
staff viewer it stands for (:func:`scope_viewer`), and the rules of
:mod:`hub.domain.access` decide, as for a person: a subscriber hears of a
complaint only if that viewer may see it (so a confidential complaint reaches
only the scopes that handle it), and the body names the reporter only if that
viewer may know who they are (never on an anonymous complaint below the
national scope).

The body follows the Standard Webhooks shape::

    {"type": "complaint.verified", "timestamp": "2025-03-04T05:06:07+00:00",
     "data": {"trackingId": ..., "status": ..., "notice": {...}, "complaint": {...}, "reporter": null}}
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from hub.domain.access import ComplaintFacts, Viewer, can_see, can_see_reporter
from hub.domain.notices import Notice, NoticeKind, fields_of
from hub.domain.regions import is_region_code
from hub.domain.vocabulary import Role


class ScopeKind(enum.StrEnum):
    NATIONAL = "NATIONAL"
    REGION = "REGION"  # a province, regency or city
    AGENCY = "AGENCY"  # instansi / OPD


class ScopeError(ValueError):
    """A subscription scope that names nothing, or two things."""


@dataclass(frozen=True, slots=True)
class SubscriberScope:
    kind: ScopeKind
    region_code: str | None = None
    agency_id: int | None = None

    def __post_init__(self) -> None:
        if self.kind is ScopeKind.REGION and (self.region_code is None or not is_region_code(self.region_code)):
            raise ScopeError("a REGION scope needs a Kemendagri region code such as 19 or 19.71")
        if self.kind is ScopeKind.AGENCY and self.agency_id is None:
            raise ScopeError("an AGENCY scope needs an agency id")
        if self.kind is ScopeKind.NATIONAL and (self.region_code or self.agency_id):
            raise ScopeError("a NATIONAL scope names no region and no agency")


def scope_viewer(scope: SubscriberScope) -> Viewer:
    """The staff member a subscriber of ``scope`` stands for."""
    match scope.kind:
        case ScopeKind.NATIONAL:
            return Viewer(role=Role.NATIONAL_ADMIN, subject="webhook")
        case ScopeKind.REGION:
            return Viewer(role=Role.REGION_ADMIN, region_codes=frozenset({scope.region_code or ""}), subject="webhook")
        case ScopeKind.AGENCY:
            return Viewer(role=Role.AGENCY_OFFICER, agency_id=scope.agency_id, subject="webhook")


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplaintSnapshot:
    """The complaint as every subscriber who may see it sees it (no reporter here)."""

    tracking_id: str
    title: str
    type: str
    privacy: str
    channel: str
    status: str
    region_code: str
    category_code: str | None
    agency_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReporterIdentity:
    name: str | None
    phone: str | None
    email: str | None


def hears(scope: SubscriberScope, kinds: frozenset[NoticeKind], notice: Notice, facts: ComplaintFacts) -> bool:
    """Whether a subscriber of ``scope`` asking for ``kinds`` is sent ``notice`` about a complaint with ``facts``."""
    return notice.kind in kinds and can_see(scope_viewer(scope), facts)


def event_body(scope: SubscriberScope, notice: Notice, facts: ComplaintFacts, complaint: ComplaintSnapshot,
               reporter: ReporterIdentity | None) -> dict[str, Any]:
    """The JSON body delivered to a subscriber of ``scope``; the reporter only where the scope may know them."""
    named = reporter is not None and can_see_reporter(scope_viewer(scope), facts)
    return {
        "type": notice.kind.value,
        "timestamp": notice.occurred_at.isoformat(),
        "data": {
            "trackingId": notice.tracking_id,
            "status": notice.status.value,
            "regionCode": notice.region_code,
            "sourceSystem": notice.source_system,
            "notice": fields_of(notice),
            "complaint": {
                "trackingId": complaint.tracking_id, "title": complaint.title, "type": complaint.type,
                "privacy": complaint.privacy, "channel": complaint.channel, "status": complaint.status,
                "regionCode": complaint.region_code, "categoryCode": complaint.category_code,
                "agencyId": complaint.agency_id,
            },
            "reporter": ({"name": reporter.name, "phone": reporter.phone, "email": reporter.email}
                         if named and reporter is not None else None),
            "reporterHidden": not named,
        },
    }


def may_manage(viewer: Viewer, scope: SubscriberScope, *, agency_region_code: str | None = None) -> bool:
    """Whether ``viewer`` may create, change and watch subscriptions of ``scope``.

    A national admin manages every scope; a region admin the scopes of their
    regions: a region they cover, or an agency of a region they cover.
    """
    if viewer.role is Role.NATIONAL_ADMIN:
        return True
    if viewer.role is not Role.REGION_ADMIN:
        return False
    match scope.kind:
        case ScopeKind.REGION:
            return scope.region_code is not None and viewer.covers_region(scope.region_code)
        case ScopeKind.AGENCY:
            return agency_region_code is not None and viewer.covers_region(agency_region_code)
    return False
