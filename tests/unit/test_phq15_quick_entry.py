"""The quick-entry codes the PHQ-15 form documents: 0/1/2, n or - for N/A, x or . for blank."""

from __future__ import annotations

import pytest

from therapy.phq15.forms import QuickEntryError, parse_quick_entry


def test_digits_in_item_order() -> None:
    assert parse_quick_entry("012012012012012") == [0, 1, 2] * 5


def test_codes_for_not_applicable_and_blank_spaces_and_case() -> None:
    assert parse_quick_entry("000N0 x.000 0000 0") == [0, 0, 0, "na", 0, None, None] + [0] * 8
    assert parse_quick_entry("000-0\t0000000000")[3] == "na"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "has 0 of 15"),
        ("0" * 14, "has 14 of 15"),
        ("0" * 16, "has 16 of 15"),
        ("0003" + "0" * 11, "Character 4 is not a code"),
        ("00 0a", "Character 4 is not a code"),  # spaces do not count as characters
        ("0" * 10 + "n" + "0" * 4, "item 11 cannot"),
        ("\x00" * 15, "Character 1 is not a code"),
        ("٣" * 15, "Character 1 is not a code"),  # other scripts' digits are not codes
    ],
)
def test_refused(text: str, message: str) -> None:
    with pytest.raises(QuickEntryError, match=message):
        parse_quick_entry(text)
