"""The rules of ``hub.domain.access`` compiled into SQL.

:func:`compile_rule` turns a :data:`~hub.domain.rules.Rule` into a WHERE
clause over the columns that hold each fact, so a query applies exactly the
rule that :func:`hub.domain.access.can_see` evaluates in memory. Atoms are
compiled so they never yield SQL's unknown (see :mod:`hub.domain.rules`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true

from hub.domain.access import Viewer, identity_rule, regions_rule, visible_rule
from hub.domain.rules import AllOf, Always, AnyOf, Equals, Fact, InRegions, Never, NotEquals, OneOf, Rule
from hub.store.models import Complaint

COMPLAINT_FACTS: Mapping[Fact, Any] = {
    Fact.COMPLAINT_ID: Complaint.id,
    Fact.REGION_CODE: Complaint.region_code,
    Fact.PRIVACY: Complaint.privacy,
    Fact.AGENCY_ID: Complaint.agency_id,
    Fact.REPORTER_ID: Complaint.reporter_id,
}


def region_clause(region_codes: Collection[str], column: Any = Complaint.region_code) -> ColumnElement[bool]:
    """Rows in these regions (complaints by default); a province code covers its regencies and cities."""
    if not region_codes:
        return false()
    provinces = [code for code in region_codes if "." not in code]
    clauses: list[ColumnElement[bool]] = [column.in_(sorted(region_codes))]
    clauses += [column.startswith(f"{code}.") for code in sorted(provinces)]
    return or_(*clauses)


def compile_rule(rule: Rule, columns: Mapping[Fact, Any] = COMPLAINT_FACTS) -> ColumnElement[bool]:
    """``rule`` as SQL over ``columns``; a fact with no column here is a programming error."""
    match rule:
        case Always():
            return true()
        case Never():
            return false()
        case Equals(fact, value):
            column = columns[fact]
            return and_(column.is_not(None), column == value)
        case NotEquals(fact, value):
            column = columns[fact]
            return or_(column.is_(None), column != value)
        case OneOf(fact, values):
            column = columns[fact]
            return and_(column.is_not(None), column.in_(sorted(values))) if values else false()
        case InRegions(codes):
            return region_clause(codes, columns[Fact.REGION_CODE])
        case AllOf(terms):
            return and_(*(compile_rule(term, columns) for term in terms))
        case AnyOf(terms):
            return or_(*(compile_rule(term, columns) for term in terms))
    raise TypeError(f"not a rule: {rule!r}")  # pragma: no cover


def facts_of(complaint: Any) -> Mapping[Fact, Any]:
    """The fact columns of an alias of the complaints table (two complaints in one query)."""
    return {fact: getattr(complaint, column.key) for fact, column in COMPLAINT_FACTS.items()}


def visible_clause(viewer: Viewer, complaint: Any = None) -> ColumnElement[bool]:
    """Complaints ``viewer`` may see (``hub.domain.access.visible_rule``); ``complaint``: an alias to apply it to."""
    if complaint is None:
        return compile_rule(visible_rule(viewer))
    return compile_rule(visible_rule(viewer), facts_of(complaint))


def identity_clause(viewer: Viewer) -> ColumnElement[bool]:
    """Complaints whose reporter ``viewer`` may know (``hub.domain.access.identity_rule``)."""
    return compile_rule(identity_rule(viewer))


def regions_clause(viewer: Viewer, column: Any) -> ColumnElement[bool]:
    """Rows of another table (sync runs, rejections, outbox) in the regions ``viewer`` administers."""
    return compile_rule(regions_rule(viewer), {Fact.REGION_CODE: column})
