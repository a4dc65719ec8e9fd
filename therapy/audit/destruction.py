"""The audit trail's part of destroying a record: blank the searches naming it, seal, record.

The design is in therapy.audit.redaction. This module does the work, in the caller's
transaction, while the destruction request is being carried out:

- `could_name` says which searches could have looked for the patient: every word of the query
  matches the patient as the caseload search matches (the given name, family name or record
  number contains it), or the query contains one of the patient's names, record number,
  e-mail address, phone number or BSN. Letters are compared without case and accents, so it errs
  towards blanking someone else's search too (its count and who searched stay).
- `redact_searches` blanks those queries, each with its audit_redaction row.
- `note_destruction` queues the one event the trail keeps of the destruction: a DELETE of the
  patient by the person who completed it, sealing the redactions. The rows removed are not
  listed, and no count of them is kept: the trail says that a record was destroyed, and by
  whom, never what it held.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import insert, select, update

from therapy.audit.chain import chained_hash
from therapy.audit.events import note_event
from therapy.audit.queries import search_detail, split_search_detail
from therapy.audit.redaction import DESTRUCTION_OBJECT_TYPE, destruction_detail
from therapy.extensions import db
from therapy.models import AuditEvent, AuditRedaction
from therapy.models.enums import AuditAction

# Search events read per step: bounded memory however long the trail.
BATCH = 2000
# Shorter identifying values are matched as whole words only ("Li" must not blank "Lisa").
SHORT = 3
# A phone number is compared by its digits, when it has enough of them to mean something.
PHONE_DIGITS = 6


@dataclass(frozen=True)
class PatientIdentity:
    """What a typed search could name a patient by."""

    given_name: str
    family_name: str
    record_number: str
    email: str = ""
    phone: str = ""
    bsn: str = ""


def _fold(text: str) -> str:
    """Text without case and accents: "Zoë" and "ZOE" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def could_name(query: str, identity: PatientIdentity) -> bool:
    """True when a search typed as `query` could have been looking for this patient."""
    folded = _fold(query)
    words = folded.split()
    if not words:
        return False
    fields = [
        _fold(value)
        for value in (identity.given_name, identity.family_name, identity.record_number)
        if value
    ]
    if all(any(word in field for field in fields) for word in words):
        return True  # the caseload search would have found the patient
    values = [
        *fields,
        _fold(f"{identity.given_name} {identity.family_name}"),
        _fold(identity.email),
    ]
    for value in values:
        if len(value) >= SHORT and value in folded:
            return True
        if value and value in words:
            return True
    typed = _digits(query)
    if identity.bsn and identity.bsn in typed:
        return True
    phone = _digits(identity.phone)
    return len(phone) >= PHONE_DIGITS and phone in typed


def _naming_searches(identity: PatientIdentity) -> list[tuple[int, int]]:
    """(event id, results count) of every search whose query could name the patient."""
    table = AuditEvent.__table__
    found: list[tuple[int, int]] = []
    last_id = 0
    while True:
        batch = db.session.execute(
            select(table.c.id, table.c.detail)
            .where(table.c.action == AuditAction.SEARCH, table.c.id > last_id)
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return found
        for row in batch:
            parts = split_search_detail(row.detail)
            if parts is not None and could_name(parts[1], identity):
                found.append((row.id, parts[0]))
        last_id = batch[-1].id


def redact_searches(destruction_id: int, identity: PatientIdentity) -> list[tuple[int, str]]:
    """Blank the query of every search that could name the patient; (event id, new hash)."""
    table = AuditEvent.__table__
    redactions = []
    for event_id, results in _naming_searches(identity):
        row = db.session.execute(select(table).where(table.c.id == event_id)).one()
        detail = search_detail(results, "")
        redacted_hash = chained_hash(
            row.prev_hash, SimpleNamespace(**{**row._mapping, "detail": detail})
        )
        # The redaction row first: the database lets the detail change only for a row it names.
        db.session.execute(
            insert(AuditRedaction.__table__).values(
                event_id=event_id, destruction_id=destruction_id, redacted_hash=redacted_hash
            )
        )
        db.session.execute(update(table).where(table.c.id == event_id).values(detail=detail))
        redactions.append((event_id, redacted_hash))
    return redactions


def note_destruction(
    destruction_id: int, patient_id: int, user_id: int, redactions: list[tuple[int, str]]
) -> None:
    """Queue the trail's record of the destruction: who completed it, and the seal."""
    note_event(
        AuditAction.DELETE,
        patient_id=patient_id,
        object_type=DESTRUCTION_OBJECT_TYPE,
        object_id=patient_id,
        detail=destruction_detail(destruction_id, redactions),
        user_id=user_id,
    )
