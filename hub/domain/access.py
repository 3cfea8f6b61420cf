"""Who sees what: the scope rules of the national record, free of any framework.

A :class:`Viewer` is what a signed token says about the caller. The rules:

- ``NATIONAL_ADMIN`` sees everything, including who filed an anonymous complaint;
- ``REGION_ADMIN`` sees every complaint of their regions (a province code
  covers the province's regencies and cities);
- ``AGENCY_OFFICER`` sees the complaints dispositioned to their agency;
- ``REPORTER`` sees their own complaints and what the public sees;
- ``PUBLIC`` sees complaints that are not ``CONFIDENTIAL``.

A ``CONFIDENTIAL`` complaint is therefore visible only to its reporter and the
staff who handle it. A reporter's identity (name and contacts) reaches the
reporter themselves, a national admin, and the handling staff unless the
complaint is ``ANONYMOUS``. The store mirrors these rules in SQL
(``hub.store.scope``); both are tested against each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hub.domain.regions import province_of
from hub.domain.vocabulary import Privacy, Role


@dataclass(frozen=True, slots=True)
class Viewer:
    role: Role = Role.PUBLIC
    region_codes: frozenset[str] = field(default_factory=frozenset)
    agency_id: int | None = None
    reporter_id: int | None = None
    subject: str | None = None  # who, for the timeline's actor

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.AGENCY_OFFICER, Role.REGION_ADMIN, Role.NATIONAL_ADMIN)

    def covers_region(self, region_code: str) -> bool:
        """Whether a region admin's regions include ``region_code``."""
        return region_code in self.region_codes or province_of(region_code) in self.region_codes


PUBLIC = Viewer()
NATIONAL = Viewer(role=Role.NATIONAL_ADMIN, subject="system")


@dataclass(frozen=True, slots=True)
class ComplaintFacts:
    """The few facts about a complaint that scope depends on."""

    region_code: str
    privacy: Privacy
    agency_id: int | None
    reporter_id: int | None


def handles(viewer: Viewer, complaint: ComplaintFacts) -> bool:
    """Whether ``viewer`` is staff responsible for ``complaint``."""
    match viewer.role:
        case Role.NATIONAL_ADMIN:
            return True
        case Role.REGION_ADMIN:
            return viewer.covers_region(complaint.region_code)
        case Role.AGENCY_OFFICER:
            return viewer.agency_id is not None and complaint.agency_id == viewer.agency_id
        case _:
            return False


def is_own(viewer: Viewer, complaint: ComplaintFacts) -> bool:
    return (
        viewer.role is Role.REPORTER
        and viewer.reporter_id is not None
        and complaint.reporter_id == viewer.reporter_id
    )


def can_see(viewer: Viewer, complaint: ComplaintFacts) -> bool:
    if viewer.is_staff:
        return handles(viewer, complaint)
    return complaint.privacy is not Privacy.CONFIDENTIAL or is_own(viewer, complaint)


def can_see_reporter(viewer: Viewer, complaint: ComplaintFacts) -> bool:
    if viewer.role is Role.NATIONAL_ADMIN or is_own(viewer, complaint):
        return True
    return complaint.privacy is not Privacy.ANONYMOUS and handles(viewer, complaint)
