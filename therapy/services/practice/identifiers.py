"""The AGB code and the Dutch postcode as typed: checked and written the one way (DOMAIN.md §8).

Pure: no database, no Flask. An AGB code (the Vektis care-provider code of a practice, a
therapist or a GP) is eight digits. A Dutch postcode is four digits, the first not 0, and
two letters (never SA, SD or SS), written "1234 AB".
"""

from __future__ import annotations

import re
import unicodedata

AGB_LENGTH = 8
# Typed with separators ("12-345678", "1234 5678"), an AGB code fits in this many characters.
AGB_INPUT_LENGTH = 12
POSTCODE_INPUT_LENGTH = 10
_POSTCODE = re.compile(r"([1-9][0-9]{3})\s?([A-Z]{2})")
_UNUSED_LETTERS = frozenset({"SA", "SD", "SS"})


class InvalidAgb(ValueError):
    """The typed text is not eight digits."""


class InvalidPostcode(ValueError):
    """The typed text is not a Dutch postcode."""


def normalise_agb(typed: str) -> str:
    """The eight ASCII digits of a typed AGB code (spaces, dots and dashes allowed)."""
    text = re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", typed))
    if len(text) != AGB_LENGTH or not text.isascii() or not text.isdigit():
        raise InvalidAgb(typed[:AGB_INPUT_LENGTH])
    return text


def normalise_postcode(typed: str) -> str:
    """A typed Dutch postcode written "1234 AB" ("1234ab", " 1234  AB " read the same)."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", typed).strip().upper())
    match = _POSTCODE.fullmatch(text)
    if match is None or not text.isascii() or match[2] in _UNUSED_LETTERS:
        raise InvalidPostcode(typed[:POSTCODE_INPUT_LENGTH])
    return f"{match[1]} {match[2]}"
