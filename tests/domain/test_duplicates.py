"""The duplicate rule: same contact, same region, within 7 days, similar text."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hub.domain.duplicates import Filed, contact_keys, filed_before, likely_duplicate, phone_key, phone_spellings

T0 = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)
WEB = Filed(id=1, region_code="19.71", created_at=T0, title="Lampu PJU mati di Jl. Merdeka",
            body="Sudah seminggu gelap, rawan kecelakaan.", contacts=contact_keys("081234567890", None))
SMS = Filed(id=2, region_code="19.71", created_at=T0 + timedelta(hours=3), title="Lampu PJU mati di Jl Merdeka",
            body="sdh seminggu gelap, rawan kecelakaan", contacts=contact_keys("+62 812-3456-7890", None))


def test_one_number_in_its_usual_spellings_is_one_contact() -> None:
    assert phone_key("081234567890") == phone_key("+62 812-3456-7890") == phone_key("6281234567890") == "81234567890"
    assert phone_spellings("0812-3456-7890") == ("081234567890", "6281234567890", "+6281234567890")
    assert contact_keys(None, " Siti@Mail.ID ") == frozenset({"mail:siti@mail.id"})
    assert contact_keys("", None) == frozenset()


def test_the_same_complaint_through_two_doors_is_a_likely_duplicate_of_the_earlier() -> None:
    match = likely_duplicate(SMS, WEB)
    assert match is not None and match.similarity >= 0.6 and "same reporter" in match.reason
    assert likely_duplicate(WEB, SMS) is None  # one flag per pair: the later one points at the earlier


def test_each_condition_is_needed() -> None:
    assert likely_duplicate(replace(SMS, contacts=contact_keys("085711112222", None)), WEB) is None
    assert likely_duplicate(replace(SMS, region_code="61.71"), WEB) is None
    assert likely_duplicate(replace(SMS, created_at=T0 + timedelta(days=7, hours=1)), WEB) is None
    assert likely_duplicate(replace(SMS, created_at=T0 + timedelta(days=7)), WEB) is not None
    assert likely_duplicate(replace(SMS, title="Sampah menumpuk di pasar", body="Bau menyengat."), WEB) is None
    assert likely_duplicate(WEB, WEB) is None


def test_an_email_in_common_is_enough() -> None:
    web = replace(WEB, contacts=contact_keys("081234567890", "siti@mail.id"))
    app = replace(SMS, contacts=contact_keys(None, "SITI@mail.id"))
    assert likely_duplicate(app, web) is not None


def test_filings_in_the_same_second_are_ordered_by_which_the_hub_knew_first():
    """A region keeps whole seconds: its copy filed just after the web form must not look earlier."""
    web = replace(WEB, created_at=T0 + timedelta(milliseconds=700))
    regional = replace(SMS, created_at=T0)  # filed after the web form, in the same second, stamped to the second
    assert filed_before(web, regional) and not filed_before(regional, web)  # ids: the hub knew the web one first
    assert likely_duplicate(regional, web) is not None and likely_duplicate(web, regional) is None
