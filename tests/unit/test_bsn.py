"""The BSN rule: python-stdnum's 11-test, separators allowed, nine ASCII digits kept."""

from __future__ import annotations

import pytest

from therapy.models import Patient
from therapy.services.patients.bsn import BsnProblem, InvalidBsn, normalise_bsn


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("111222333", "111222333"),
        ("1112.22.333", "111222333"),
        (" 111 222 333 ", "111222333"),
        ("111-222-333", "111222333"),
        ("12345672", "012345672"),  # a dropped leading zero is restored
        ("\uff11\uff11\uff11\uff12\uff12\uff12\uff13\uff13\uff13", "111222333"),  # full-width
    ],
)
def test_a_valid_bsn_is_kept_as_nine_ascii_digits(typed: str, kept: str) -> None:
    assert normalise_bsn(typed) == kept


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("123456789", BsnProblem.CHECKSUM),  # 9·1 + 8·2 + ... − 9 is not a multiple of 11
        ("111222334", BsnProblem.CHECKSUM),
        ("1112223334", BsnProblem.LENGTH),
        ("000000000", BsnProblem.NOT_DIGITS),
        ("11122233a", BsnProblem.NOT_DIGITS),
        ("\u0661\u0661\u0661\u0662\u0662\u0662\u0663\u0663\u0663", BsnProblem.NOT_DIGITS),
        ("<script>", BsnProblem.NOT_DIGITS),
    ],
)
def test_anything_else_is_refused_with_its_reason(typed: str, problem: BsnProblem) -> None:
    with pytest.raises(InvalidBsn) as refused:
        normalise_bsn(typed)
    assert refused.value.problem == problem


def test_a_screen_shows_only_the_last_three_digits() -> None:
    assert Patient(bsn="111222333").masked_bsn == "••••••333"
    assert Patient(bsn=None).masked_bsn == ""
