"""AGB codes and Dutch postcodes as typed (DOMAIN.md §8)."""

from __future__ import annotations

import pytest

from therapy.services.practice.identifiers import (
    InvalidAgb,
    InvalidPostcode,
    normalise_agb,
    normalise_postcode,
)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("01234567", "01234567"), ("0123 4567", "01234567"), ("01-23.45.67", "01234567")],
)
def test_an_agb_code_is_kept_as_its_eight_digits(typed, kept):
    assert normalise_agb(typed) == kept


@pytest.mark.parametrize("typed", ["1234567", "123456789", "1234567a", "١٢٣٤٥٦٧٨", ""])
def test_anything_but_eight_ascii_digits_is_not_an_agb_code(typed):
    with pytest.raises(InvalidAgb):
        normalise_agb(typed)


@pytest.mark.parametrize(
    ("typed", "kept"), [("3511 AB", "3511 AB"), ("3511ab", "3511 AB"), (" 3511  Ab ", "3511 AB")]
)
def test_a_postcode_is_written_four_digits_space_two_capitals(typed, kept):
    assert normalise_postcode(typed) == kept


@pytest.mark.parametrize("typed", ["0511 AB", "351 AB", "3511 A", "3511 SS", "3511 A1", "AB 3511"])
def test_what_is_no_dutch_postcode_is_refused(typed):
    with pytest.raises(InvalidPostcode):
        normalise_postcode(typed)
