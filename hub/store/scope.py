"""The scope rules of ``hub.domain.access`` as SQL, for every query that lists,
counts or loads complaints."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.orm import InstrumentedAttribute

from hub.domain.access import Viewer
from hub.domain.vocabulary import Privacy, Role
from hub.store.models import Complaint


def region_clause(
    region_codes: Collection[str], column: ColumnElement[str] | InstrumentedAttribute[str] = Complaint.region_code
) -> ColumnElement[bool]:
    """Rows in these regions (complaints by default); a province code covers its regencies and cities."""
    if not region_codes:
        return false()
    provinces = [code for code in region_codes if "." not in code]
    clauses: list[ColumnElement[bool]] = [column.in_(sorted(region_codes))]
    clauses += [column.startswith(f"{code}.") for code in provinces]
    return or_(*clauses)


def visible_clause(viewer: Viewer) -> ColumnElement[bool]:
    match viewer.role:
        case Role.NATIONAL_ADMIN:
            return true()
        case Role.REGION_ADMIN:
            return region_clause(viewer.region_codes)
        case Role.AGENCY_OFFICER:
            return Complaint.agency_id == viewer.agency_id if viewer.agency_id is not None else false()
        case Role.REPORTER if viewer.reporter_id is not None:
            return or_(Complaint.privacy != Privacy.CONFIDENTIAL, Complaint.reporter_id == viewer.reporter_id)
        case _:
            return Complaint.privacy != Privacy.CONFIDENTIAL
