"""The shape of a FHIR resource: the same shape gets the same verdict from the R4 models.

A practice export writes about a million resources, most of them the same resource a
thousand times over with other ids, references, dates and scores (a PSFS rating, a PHQ-15
item). Validating one of them through fhir.resources' models says what the models would say of
every other one of the same shape, as long as the shape keeps every value literally except
those whose every member is valid wherever one member is:

- a resource id (element `id`) matching FHIR's id type, `[A-Za-z0-9\\-.]{1,64}`: valid as an
  id and as a string, which is all an `id` element can be;
- a literal reference (element `reference`, a string) of the form `Type/<id>`: the type stays
  literal, the id as above;
- a date, date-time or time at an element named for one (`effectiveDateTime`, `start`, ...)
  that is a real one (Python parses it) in the same written pattern, its time zone literal:
  FHIR's patterns constrain the digits only to ranges every real date and time is within;
- a number at an element holding a value (`value`, `value...Integer`, `...Decimal`): integer
  or decimal, the sign, whether it fits 32 bits and whether it is whole: integer,
  positiveInt, unsignedInt and decimal differ only there.

Booleans, null, codes, systems, texts, element names and every other string stay literal, so
a resource with a typed note of its own is always validated whole.

The shape is read from the resource's compact JSON line (which the export writes anyway).
Inside a JSON string every quote is escaped, and after a string's closing quote comes `,`,
`:`, `}` or `]`, never a letter: so `"name":` in the line is always the element `name`, never
text, and a search for it can start at its literal quote (fast in Python's re).
"""

from __future__ import annotations

import hashlib
import math
import re
from datetime import date, datetime, time

_ID = r"[A-Za-z0-9\-.]{1,64}"
_TEMPORAL_NAMES = frozenset({"start", "end", "date", "issued", "recorded", "authored"})
_TEMPORAL_ENDINGS = ("DateTime", "Date", "Time", "Instant")
# Ids and references need no judgement: replaced through a template, in C.
_IDS = re.compile(rf'"id":"{_ID}"')
_REFERENCES = re.compile(rf'"reference":"([A-Z][A-Za-z]{{1,63}})/{_ID}"')
# A value that looks like a date or a number (its element's name is read backwards from it).
_VALUES = re.compile(
    r'":(?:"(?P<moment>[0-9][0-9T:.\-]{3,39}?)(?P<zone>Z|[+-]\d\d:\d\d)?"'
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?=[,}\]]))"
)
_DIGITS = str.maketrans("0123456789", "9999999999")
_INT32 = range(-(2**31), 2**31)


def _real_moment(text: str) -> bool:
    for parse in (date.fromisoformat, datetime.fromisoformat, time.fromisoformat):
        try:
            parse(text)
        except ValueError:
            continue
        return True
    return False


def _number_class(token: str) -> str:
    if "." in token or "e" in token or "E" in token:  # JSON's number grammar: a decimal
        decimal = float(token)
        if not math.isfinite(decimal):
            return token
        sign = (decimal > 0) - (decimal < 0)
        return f"decimal{sign}{decimal.is_integer():d}{abs(decimal) < 2**31:d}"
    integer = int(token)
    return f"integer{(integer > 0) - (integer < 0)}{integer in _INT32:d}"


def _masked(name: str, match: re.Match[str]) -> str | None:
    """The class that replaces this value, or None to keep it literally."""
    moment, number = match["moment"], match["number"]
    if moment is not None:
        temporal = name in _TEMPORAL_NAMES or name.endswith(_TEMPORAL_ENDINGS)
        if temporal and _real_moment(moment):
            return f'":#{moment.translate(_DIGITS)}{match["zone"] or ""}'
        return None
    if name == "value" or (name.startswith("value") and name.endswith(("Integer", "Decimal"))):
        return f'":#{_number_class(number)}'
    return None


def shape_key(line: bytes) -> bytes:
    """The shape of the resource whose compact JSON (no spaces between tokens) is `line`, as a
    128-bit BLAKE2 digest of the line with its masked values replaced by their class."""
    text = _REFERENCES.sub(r'"reference":\1/#', _IDS.sub('"id":#', line.decode("utf-8")))
    pieces: list[str] = []
    done = 0
    for match in _VALUES.finditer(text):
        start = match.start()
        # Inside a string the quote matched is an escaped one: the "name" then ends in "\".
        name = text[text.rfind('"', 0, start) + 1 : start]
        masked = _masked(name, match) if name.isascii() and name.isalpha() else None
        if masked is not None:
            pieces += (text[done:start], masked)
            done = match.end()
    pieces.append(text[done:])
    return hashlib.blake2b("".join(pieces).encode("utf-8"), digest_size=16).digest()
