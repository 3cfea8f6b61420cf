from __future__ import annotations

import pytest

from hub.domain.tracking import MAX_NUMBER, InvalidTrackingId, TrackingId, format_tracking_id, is_tracking_id


def test_format_pads_the_number_to_seven_digits() -> None:
    assert format_tracking_id(2025, 123) == "LPR-2025-0000123"
    assert str(TrackingId(2026, 9_999_999)) == "LPR-2026-9999999"


def test_parse_round_trip() -> None:
    for text in ("LPR-2025-0000123", "LPR-2026-0000001", "LPR-2024-9999999"):
        assert str(TrackingId.parse(text)) == text
    assert TrackingId.parse("LPR-2025-0000123") == TrackingId(2025, 123)


def test_parse_forgives_surrounding_whitespace() -> None:
    assert TrackingId.parse("  LPR-2025-0000123\n") == TrackingId(2025, 123)
    assert is_tracking_id(" LPR-2025-0000123 ")


@pytest.mark.parametrize(
    "text",
    ["", "LPR-2025-123", "LPR-2025-00001234", "LPR-25-0000123", "ABC-2025-0000123",
     "LPR 2025 0000123", "LPR-2025-000012a", "2025-0000123", "LPR-2025-0000123-1"],
)
def test_bad_strings_are_rejected_with_the_expected_form(text: str) -> None:
    assert not is_tracking_id(text)
    with pytest.raises(InvalidTrackingId) as refused:
        TrackingId.parse(text)
    assert repr(text) in str(refused.value)
    assert "LPR-2025-0000123" in str(refused.value)


def test_invalid_tracking_id_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        TrackingId.parse("nope")


@pytest.mark.parametrize("number", [0, -5, MAX_NUMBER + 1])
def test_number_out_of_bounds_is_refused(number: int) -> None:
    with pytest.raises(InvalidTrackingId, match=f"{number} is outside 1..9999999"):
        TrackingId(2025, number)


def test_number_zero_in_text_is_refused() -> None:
    with pytest.raises(InvalidTrackingId, match="outside"):
        TrackingId.parse("LPR-2025-0000000")


def test_number_bounds_are_inclusive() -> None:
    assert format_tracking_id(2025, 1) == "LPR-2025-0000001"
    assert format_tracking_id(2025, MAX_NUMBER) == "LPR-2025-9999999"
