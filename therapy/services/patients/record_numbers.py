"""The practice's record numbers: a prefix and a sequence, given out by the app (finding 9).

A therapist never types a record number, so no answer can say that a number belongs to a
record in another caseload. The next number is the practice row's counter plus one, counted
up by an UPDATE in the transaction that adds the patient: on PostgreSQL the row stays locked
until that transaction ends, so a second creation waits and takes the number after; SQLite
runs one writing transaction at a time. A number already held (one typed before numbers were
given out, or made under a prefix used again) is passed over; the unique index stays the
last guard. Changing the prefix changes only the numbers given out afterwards.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select, update

from therapy.extensions import db
from therapy.models import Patient, Practice

PREFIX_MAX = 8
# Letters A-Z and digits, beginning with a letter: readable aloud and in any file name.
PREFIX_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")
FALLBACK_PREFIX = "P"
DIGITS = 5  # PLG-00042; more digits once the practice passes 99,999 patients
_MAX_INITIALS = 4


class InvalidPrefix(ValueError):
    """A prefix that is not 1-8 letters A-Z and digits beginning with a letter."""


def derived_prefix(practice_name: str) -> str:
    """The initials of the practice's name, in capitals ("Praktijk Lichaam en Geest" ->
    "PLEG"), or "P" for a name with no letters."""
    ascii_name = unicodedata.normalize("NFKD", practice_name).encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", ascii_name)
    initials = "".join(word[0] for word in words)[:_MAX_INITIALS].upper()
    return initials or FALLBACK_PREFIX


def normalised_prefix(typed: str) -> str:
    """A typed prefix as stored: trimmed, in capitals, without a trailing hyphen."""
    return typed.strip().upper().rstrip("-")


def is_valid_prefix(prefix: str) -> bool:
    """One to eight letters A-Z and digits, beginning with a letter."""
    return bool(PREFIX_PATTERN.match(prefix))


def record_number(prefix: str, value: int) -> str:
    """The number as shown and stored: prefix, hyphen, at least five digits."""
    return f"{prefix}-{value:0{DIGITS}d}"


def _practice_id() -> int:
    """The practice row (the first one, as everywhere), added if the installation has none."""
    practice_id = db.session.scalar(select(Practice.id).order_by(Practice.id).limit(1))
    if practice_id is None:
        practice = Practice(name="")
        db.session.add(practice)
        db.session.flush()
        practice_id = practice.id
    return int(practice_id)


def _taken(number: str) -> bool:
    return db.session.scalar(select(Patient.id).where(Patient.record_number == number)) is not None


def next_record_number() -> str:
    """Claim the practice's next free record number in the current transaction.

    The caller adds the patient in the same transaction and commits; a rollback gives the
    number back. The number says nothing about any other record.
    """
    table = Practice.__table__
    practice_id = _practice_id()
    # Counting up first takes the row lock (PostgreSQL) before anything is read.
    claimed = db.session.execute(
        update(table)
        .where(table.c.id == practice_id)
        .values(record_sequence=table.c.record_sequence + 1)
        .returning(table.c.record_sequence, table.c.record_prefix, table.c.name)
    ).one()
    value = int(claimed.record_sequence)
    prefix = claimed.record_prefix or derived_prefix(claimed.name)
    while _taken(record_number(prefix, value)):
        value += 1
    changes: dict[str, object] = {}
    if value != claimed.record_sequence:
        changes["record_sequence"] = value
    if not claimed.record_prefix and claimed.name.strip():
        changes["record_prefix"] = prefix  # derived once, then kept: renaming changes nothing
    if changes:
        db.session.execute(update(table).where(table.c.id == practice_id).values(**changes))
    return record_number(prefix, value)


def current_prefix() -> str:
    """The prefix the next number will carry (derived from the name until one is stored)."""
    practice = db.session.execute(
        select(Practice.record_prefix, Practice.name).order_by(Practice.id).limit(1)
    ).first()
    if practice is None:
        return FALLBACK_PREFIX
    return str(practice.record_prefix or derived_prefix(practice.name))


def save_prefix(typed: str) -> tuple[Practice, bool]:
    """Store a new prefix for the numbers given out from now on (adding the practice row if
    there is none); True when it changed. Numbers already given keep their prefix."""
    prefix = normalised_prefix(typed)
    if not is_valid_prefix(prefix):
        raise InvalidPrefix(typed)
    practice = db.session.get_one(Practice, _practice_id())
    changed = prefix != (practice.record_prefix or derived_prefix(practice.name))
    if changed:  # the prefix shown and saved unchanged stays derived from the name
        practice.record_prefix = prefix
        db.session.flush()
    return practice, changed
