from __future__ import annotations

import pytest

from hub.domain.access import NATIONAL, PUBLIC, ComplaintFacts, Viewer, can_see, can_see_reporter
from hub.domain.vocabulary import Privacy, Role

REGION, AGENCY, REPORTER = "61.71", 7, 42  # Kota Pontianak

VIEWERS = {
    "public": PUBLIC,
    "reporter_own": Viewer(role=Role.REPORTER, reporter_id=REPORTER),
    "reporter_other": Viewer(role=Role.REPORTER, reporter_id=99),
    "officer_own_agency": Viewer(role=Role.AGENCY_OFFICER, agency_id=AGENCY),
    "officer_other_agency": Viewer(role=Role.AGENCY_OFFICER, agency_id=8),
    "admin_of_region": Viewer(role=Role.REGION_ADMIN, region_codes=frozenset({REGION})),
    "admin_of_province": Viewer(role=Role.REGION_ADMIN, region_codes=frozenset({"61"})),
    "admin_of_other_region": Viewer(role=Role.REGION_ADMIN, region_codes=frozenset({"61.72", "64"})),
    "national_admin": NATIONAL,
}

HANDLERS = {"officer_own_agency", "admin_of_region", "admin_of_province", "national_admin"}
OUTSIDE_STAFF = {"officer_other_agency", "admin_of_other_region"}


def _expected_see(viewer: str, privacy: Privacy) -> bool:
    if viewer in HANDLERS:
        return True
    if viewer in OUTSIDE_STAFF:
        return False  # staff see their own scope, nothing else
    if privacy is Privacy.CONFIDENTIAL:
        return viewer == "reporter_own"
    return True


def _expected_identity(viewer: str, privacy: Privacy) -> bool:
    if viewer in ("national_admin", "reporter_own"):
        return True
    if privacy is Privacy.ANONYMOUS:
        return False
    return viewer in HANDLERS


CASES = [(v, p) for v in VIEWERS for p in Privacy]


def facts(privacy: Privacy) -> ComplaintFacts:
    return ComplaintFacts(region_code=REGION, privacy=privacy, agency_id=AGENCY, reporter_id=REPORTER)


@pytest.mark.parametrize(("viewer", "privacy"), CASES, ids=[f"{v}-{p.value}" for v, p in CASES])
def test_can_see(viewer: str, privacy: Privacy) -> None:
    assert can_see(VIEWERS[viewer], facts(privacy)) is _expected_see(viewer, privacy)


@pytest.mark.parametrize(("viewer", "privacy"), CASES, ids=[f"{v}-{p.value}" for v, p in CASES])
def test_can_see_reporter(viewer: str, privacy: Privacy) -> None:
    assert can_see_reporter(VIEWERS[viewer], facts(privacy)) is _expected_identity(viewer, privacy)


def test_confidential_content_reaches_only_reporter_and_handlers() -> None:
    seen_by = {v for v in VIEWERS if can_see(VIEWERS[v], facts(Privacy.CONFIDENTIAL))}
    assert seen_by == HANDLERS | {"reporter_own"}


def test_anonymous_identity_reaches_only_national_admin_and_reporter() -> None:
    shown_to = {v for v in VIEWERS if can_see_reporter(VIEWERS[v], facts(Privacy.ANONYMOUS))}
    assert shown_to == {"national_admin", "reporter_own"}


def test_undispositioned_complaint_is_not_an_officer_without_agency_business() -> None:
    undispositioned = ComplaintFacts(region_code=REGION, privacy=Privacy.CONFIDENTIAL, agency_id=None, reporter_id=1)
    officer_without_agency = Viewer(role=Role.AGENCY_OFFICER)
    assert not can_see(officer_without_agency, undispositioned)
    assert not can_see(VIEWERS["officer_own_agency"], undispositioned)


def test_reporter_token_without_id_owns_nothing() -> None:
    nobody = ComplaintFacts(region_code=REGION, privacy=Privacy.CONFIDENTIAL, agency_id=None, reporter_id=None)
    assert not can_see(Viewer(role=Role.REPORTER), nobody)
    assert not can_see_reporter(Viewer(role=Role.REPORTER), nobody)


def test_only_reporters_own_their_complaints() -> None:
    # A staff token that happens to carry the reporter's id gains nothing from it.
    impostor = Viewer(role=Role.AGENCY_OFFICER, agency_id=8, reporter_id=REPORTER)
    assert not can_see(impostor, facts(Privacy.CONFIDENTIAL))
    assert not can_see_reporter(impostor, facts(Privacy.ANONYMOUS))


def test_province_admin_does_not_cover_another_province() -> None:
    admin = VIEWERS["admin_of_province"]
    other = ComplaintFacts(region_code="64.09", privacy=Privacy.PUBLIC, agency_id=None, reporter_id=1)
    assert not can_see(admin, other)
