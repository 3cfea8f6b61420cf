"""Who sees what: the scope rules of the national record, free of any framework.

A :class:`Viewer` is what a signed token says about the caller. Each rule
below is written once, as a :data:`~hub.domain.rules.Rule` over a complaint's
facts; :func:`can_see` and friends evaluate it in memory and
``hub.store.scope`` compiles the same rule into SQL, so lists, counts,
statistics, ``node``, mutations, subscriptions and exports cannot disagree.

- ``NATIONAL_ADMIN`` sees everything, including who filed an anonymous complaint;
- ``REGION_ADMIN`` sees every complaint of their regions (a province code
  covers the province's regencies and cities);
- ``AGENCY_OFFICER`` sees the complaints dispositioned to their agency;
- ``REPORTER`` sees their own complaints and what the public sees;
- ``PUBLIC`` sees complaints that are not ``CONFIDENTIAL``.

A ``CONFIDENTIAL`` complaint is therefore visible only to its reporter and the
staff who handle it. A reporter's identity (name and contacts) reaches the
reporter themselves, a national admin, and the handling staff unless the
complaint is ``ANONYMOUS``. The table in ``docs/access.md`` states the same,
and a test checks every role x privacy x relation against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hub.domain.rules import (
    ALWAYS,
    NEVER,
    Equals,
    Fact,
    InRegions,
    NotEquals,
    OneOf,
    Rule,
    all_of,
    any_of,
    holds,
    in_regions,
)
from hub.domain.vocabulary import Privacy, Role

HIDDEN_REPORTER = "Pelapor (dirahasiakan)"  # the reporter, identity withheld


@dataclass(frozen=True, slots=True)
class Viewer:
    role: Role = Role.PUBLIC
    region_codes: frozenset[str] = field(default_factory=frozenset)
    agency_id: int | None = None
    reporter_id: int | None = None
    complaint_ids: frozenset[int] = field(default_factory=frozenset)  # a reporter token for these complaints
    subject: str | None = None  # who, for the timeline's actor

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.AGENCY_OFFICER, Role.REGION_ADMIN, Role.NATIONAL_ADMIN)

    def covers_region(self, region_code: str) -> bool:
        """Whether a region admin's regions include ``region_code``."""
        return in_regions(region_code, self.region_codes)


PUBLIC = Viewer()
NATIONAL = Viewer(role=Role.NATIONAL_ADMIN, subject="system")


@dataclass(frozen=True, slots=True)
class ComplaintFacts:
    """The few facts about a complaint that scope depends on."""

    region_code: str
    privacy: Privacy
    agency_id: int | None
    reporter_id: int | None
    id: int | None = None

    def as_facts(self) -> Mapping[Fact, Any]:
        return {
            Fact.COMPLAINT_ID: self.id,
            Fact.REGION_CODE: self.region_code,
            Fact.PRIVACY: self.privacy,
            Fact.AGENCY_ID: self.agency_id,
            Fact.REPORTER_ID: self.reporter_id,
        }


# -- the rules -------------------------------------------------------------------------------


def own_rule(viewer: Viewer) -> Rule:
    """The reporter's own complaints: by reporter id, or the complaints a secret code opened."""
    if viewer.role is not Role.REPORTER:
        return NEVER
    return any_of(
        Equals(Fact.REPORTER_ID, viewer.reporter_id) if viewer.reporter_id is not None else NEVER,
        OneOf(Fact.COMPLAINT_ID, frozenset(viewer.complaint_ids)) if viewer.complaint_ids else NEVER,
    )


def agency_rule(viewer: Viewer) -> Rule:
    """Complaints dispositioned to the officer's agency."""
    if viewer.role is not Role.AGENCY_OFFICER or viewer.agency_id is None:
        return NEVER
    return Equals(Fact.AGENCY_ID, viewer.agency_id)


def regions_rule(viewer: Viewer) -> Rule:
    """Rows of the admin's regions: complaints, and sync runs, rejections and outbox rows alike."""
    match viewer.role:
        case Role.NATIONAL_ADMIN:
            return ALWAYS
        case Role.REGION_ADMIN if viewer.region_codes:
            return InRegions(frozenset(viewer.region_codes))
        case _:
            return NEVER


def handled_rule(viewer: Viewer) -> Rule:
    """Complaints ``viewer`` is responsible for as staff."""
    return any_of(regions_rule(viewer), agency_rule(viewer))


def visible_rule(viewer: Viewer) -> Rule:
    """Complaints ``viewer`` may see at all: every path to the data applies this."""
    if viewer.is_staff:
        return handled_rule(viewer)
    return any_of(NotEquals(Fact.PRIVACY, Privacy.CONFIDENTIAL), own_rule(viewer))


def identity_rule(viewer: Viewer) -> Rule:
    """Complaints whose reporter's name and contacts ``viewer`` may read."""
    if viewer.role is Role.NATIONAL_ADMIN:
        return ALWAYS
    return any_of(own_rule(viewer), all_of(NotEquals(Fact.PRIVACY, Privacy.ANONYMOUS), handled_rule(viewer)))


# -- the rules in memory -----------------------------------------------------------------------


def handles(viewer: Viewer, complaint: ComplaintFacts) -> bool:
    """Whether ``viewer`` is staff responsible for ``complaint``."""
    return holds(handled_rule(viewer), complaint.as_facts())


def can_see(viewer: Viewer, complaint: ComplaintFacts) -> bool:
    return holds(visible_rule(viewer), complaint.as_facts())


def can_see_reporter(viewer: Viewer, complaint: ComplaintFacts) -> bool:
    return holds(identity_rule(viewer), complaint.as_facts())


def sees_raw_identity(viewer: Viewer) -> bool:
    """Whether ``viewer`` reads raw regional payloads (rejected records) as the region sent them,
    reporter identities included; everyone else reads them redacted (``hub.domain.redaction``)."""
    return viewer.role is Role.NATIONAL_ADMIN


def sees_region(viewer: Viewer, region_code: str) -> bool:
    """Whether ``viewer`` may see a region's sync runs, rejected records and outbox rows."""
    return holds(regions_rule(viewer), {Fact.REGION_CODE: region_code})
