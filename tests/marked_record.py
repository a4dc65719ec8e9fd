"""A patient whose every stored text carries a marker of its own, to find it again or miss it.

The record gets a row in every clinical table (factories.make_full_episode and more), then
every free-text column of every row of it is overwritten with a unique marker, read from the
schema: a text column added later is marked too. The final document is stored with markers
in its content, its snapshot and its PDF bytes (a final document cannot be changed after).
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Enum, String, Text, select, update

from tests.factories import make_full_episode, make_patient
from therapy.extensions import db
from therapy.models import (
    Amendment,
    Document,
    FormDraft,
    Patient,
    TreatmentEpisode,
    User,
)
from therapy.models.enums import DocumentKind, DocumentStatus, EndingReason, EpisodeStatus
from therapy.services.records.erasure import belongs_to, clinical_tables

_serial = itertools.count(1)
# Left as they are: a draft's address (a page path), a document's hash (a machine format).
SKIP = {("form_draft", "path"), ("document", "sha256"), ("patient", "bsn")}
# Valid BSNs (11-test), one per marked record: a marker the database must forget too.
_BSNS = itertools.cycle(["111222333", "123456782", "999999990", "111111110"])


@dataclass
class MarkedRecord:
    """The patient, the markers stored in its record, and its final document's bytes."""

    patient: Patient
    episode: TreatmentEpisode
    markers: list[str] = field(default_factory=list)
    document_pdf: bytes = b""
    document_id: int = 0

    @property
    def family_name(self) -> str:
        """The marked family name, which a caseload search finds."""
        return self.patient.family_name


def _marker(prefix: str) -> str:
    return f"{prefix}{next(_serial):04d}"


def _text_columns(table) -> list[str]:
    return [
        column.name
        for column in table.columns
        if isinstance(column.type, String | Text)
        and not isinstance(column.type, Enum)
        and not column.primary_key
        and not column.foreign_keys
        and (table.name, column.name) not in SKIP
    ]


def _final_document(episode: TreatmentEpisode, author: User, marker: str) -> Document:
    pdf = f"%PDF-1.7 stored bytes {marker}".encode()
    document = Document(
        episode_id=episode.id,
        kind=DocumentKind.GP_LETTER,
        version=1,
        status=DocumentStatus.FINAL,
        author_id=author.id,
        content={"summary": marker},
        snapshot={"record": {"patient": {"full_name": marker}}},
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        finalised_at=datetime.now(UTC),
    )
    db.session.add(document)
    db.session.flush()
    return document


def make_marked_record(therapist: User, prefix: str = "Mrk") -> MarkedRecord:
    """A closed episode with a row in every clinical table, every text of it a marker."""
    patient = make_patient(therapist)
    episode = make_full_episode(patient, sessions=2)
    episode.status = EpisodeStatus.CLOSED
    episode.closed_on = episode.started_on
    episode.ending_reason = EndingReason.GOALS_REACHED
    db.session.add(Amendment(episode_id=episode.id, author_id=therapist.id, target="x", text="x"))
    db.session.add(
        FormDraft(
            user_id=therapist.id,
            patient_id=patient.id,
            path=f"/patients/{patient.id}/edit",
            fields="{}",
        )
    )
    db.session.flush()
    record = MarkedRecord(patient=patient, episode=episode)
    for table in clinical_tables():
        columns = _text_columns(table)
        keys = list(table.primary_key.columns)
        rows = db.session.execute(select(*keys).where(belongs_to(table, patient.id))).all()
        for row in rows:
            values = {}
            for name in columns:
                length = table.c[name].type.length
                marker = _marker(prefix)
                if length is not None and length < len(marker):
                    continue
                values[name] = marker
                record.markers.append(marker)
            if values:
                condition = [key == value for key, value in zip(keys, row, strict=True)]
                db.session.execute(update(table).where(*condition).values(values))
    bsn = next(_BSNS)
    db.session.execute(update(Patient).where(Patient.id == patient.id).values(bsn=bsn))
    record.markers.append(bsn)
    db.session.expire_all()
    marker = _marker(prefix)
    document = _final_document(episode, therapist, marker)
    record.markers.append(marker)
    record.document_pdf = document.pdf or b""
    record.document_id = document.id
    db.session.flush()
    return record
