"""The BSN (burgerservicenummer) rule: read it as typed and check the 11-test.

Pure: no database, no Flask. The check is python-stdnum's (`stdnum.nl.bsn`), which allows
the usual separators (spaces, dots, dashes) and restores a dropped leading zero.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError
from stdnum.nl import bsn as stdnum_bsn

BSN_LENGTH = 9
# Typed with separators ("1112.22.333", "111 222 333"), a BSN fits in this many characters.
BSN_INPUT_LENGTH = 20


class BsnProblem(StrEnum):
    """Why a typed number is not a BSN."""

    NOT_DIGITS = "not_digits"
    LENGTH = "length"
    CHECKSUM = "checksum"


class InvalidBsn(ValueError):
    """The typed number is not a valid BSN; `problem` says why."""

    def __init__(self, problem: BsnProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def normalise_bsn(typed: str) -> str:
    """The nine ASCII digits of a typed BSN, or InvalidBsn (python-stdnum's 11-test)."""
    # Full-width or other Unicode digits read as the digits they are, and only those remain.
    text = unicodedata.normalize("NFKC", typed)
    try:
        number = str(stdnum_bsn.validate(text))
    except InvalidChecksum as error:
        raise InvalidBsn(BsnProblem.CHECKSUM) from error
    except InvalidLength as error:
        raise InvalidBsn(BsnProblem.LENGTH) from error
    except ValidationError as error:
        raise InvalidBsn(BsnProblem.NOT_DIGITS) from error
    if len(number) != BSN_LENGTH or not number.isascii() or not number.isdigit():
        raise InvalidBsn(BsnProblem.NOT_DIGITS)
    return number
