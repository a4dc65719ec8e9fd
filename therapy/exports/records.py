"""Everything an export needs of a patient, read in chunks as plain data (no ORM objects).

A chunk is a range of patient ids; each table is read once per chunk with plain Core
selects, so the cost is a fixed number of queries per chunk and memory holds one chunk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, select

from therapy.extensions import db
from therapy.models import (
    AllianceCheckin,
    Document,
    Goal,
    GoalRating,
    Patient,
    PatientSymptom,
    Phq15Administration,
    TherapySession,
    TreatmentEpisode,
)
from therapy.models.enums import DocumentStatus

CHUNK_PATIENTS = 100


@dataclass(frozen=True)
class EpisodeRecord:
    """One episode with its sessions, check-ins, PHQ-15s, goals and final documents."""

    row: Any
    sessions: list[Any] = field(default_factory=list)
    checkins: dict[int, Any] = field(default_factory=dict)  # session id -> check-in row
    phq15: list[Any] = field(default_factory=list)
    goals: list[Any] = field(default_factory=list)
    ratings: dict[int, list[Any]] = field(default_factory=dict)  # goal id -> rating rows
    # Voided by the therapist (issue 13): counted nowhere; only the FHIR record carries them,
    # as entered-in-error. Voided check-ins are in no export (the FHIR record has none).
    voided_phq15: list[Any] = field(default_factory=list)
    voided_ratings: dict[int, list[Any]] = field(default_factory=dict)
    documents: list[Any] = field(default_factory=list)  # final documents, without the PDF


@dataclass(frozen=True)
class PatientRecord:
    """One patient with the Robbins symptoms and every episode."""

    row: Any
    symptoms: list[str]
    episodes: list[EpisodeRecord]


def recorded_bsn(patient_row: Any) -> str:
    """The patient's BSN when one is recorded (patient.bsn, NULL when not), else ""."""
    return str(patient_row.bsn or "")


# Columns no export writes (bookkeeping, the session's and episode's notes, the PDF itself,
# read one at a time): leaving them out keeps chunks small and spares a conversion per row.
_UNUSED = frozenset(
    {"created_at", "updated_at", "pdf", "snapshot", "content", "left_unsaid"}
    | {f"{element}_note" for element in ("education", "body", "cognitive", "activating")}
    | {f"scebs_{d}" for d in ("somatic", "cognitive", "emotional", "behavioural", "social")}
    | {"symptom_course", "home_exercises", "notes", "timepoint_note", "other_symptoms"}
    | {"referral_question", "request_for_help", "expectations", "planned_sessions_reason"}
    | {"ending_reason_detail", "outcome", "relapse_prevention", "advice"}
)


def _columns(model: Any, *extra: Any) -> Any:
    """A select of the table's columns that exports use (plus any extra columns)."""
    return select(*(c for c in model.__table__.columns if c.key not in _UNUSED), *extra)


def patient_ids(therapist_id: int | None = None) -> list[int]:
    """Every patient id of the practice (or of one therapist's caseload), in order."""
    query = select(Patient.id).order_by(Patient.id)
    if therapist_id is not None:
        query = query.where(Patient.therapist_id == therapist_id)
    return list(db.session.scalars(query))


def _chunks(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _in_range(column: Any, ids: Sequence[int]) -> ColumnElement[bool]:
    # A range, not an IN list: the ids are sorted, and a range uses the index on any backend.
    return and_(column >= ids[0], column <= ids[-1])


def _rows(query: Select[Any]) -> list[Any]:
    return list(db.session.execute(query).all())


def _episode_children(ids: Sequence[int]) -> dict[str, list[Any]]:
    """Every child row of the chunk's episodes, one query per table."""
    episode = TreatmentEpisode.__table__
    in_chunk = _in_range(episode.c.patient_id, ids)
    sessions = TherapySession.__table__
    checkins = AllianceCheckin.__table__
    phq15 = Phq15Administration.__table__
    goals = Goal.__table__
    ratings = GoalRating.__table__
    documents = Document.__table__
    return {
        "sessions": _rows(
            _columns(TherapySession)
            .join(episode, sessions.c.episode_id == episode.c.id)
            .where(in_chunk)
            .order_by(sessions.c.episode_id, sessions.c.number)
        ),
        "checkins": _rows(
            _columns(AllianceCheckin, sessions.c.episode_id)
            .join(sessions, checkins.c.session_id == sessions.c.id)
            .join(episode, sessions.c.episode_id == episode.c.id)
            .where(in_chunk, checkins.c.voided_at.is_(None))
        ),
        "phq15": _rows(
            _columns(Phq15Administration)
            .join(episode, phq15.c.episode_id == episode.c.id)
            .where(in_chunk)
            .order_by(phq15.c.episode_id, phq15.c.administered_on, phq15.c.id)
        ),
        "goals": _rows(
            _columns(Goal)
            .join(episode, goals.c.episode_id == episode.c.id)
            .where(in_chunk)
            .order_by(goals.c.episode_id, goals.c.position)
        ),
        "ratings": _rows(
            _columns(GoalRating, goals.c.episode_id)
            .join(goals, ratings.c.goal_id == goals.c.id)
            .join(episode, goals.c.episode_id == episode.c.id)
            .where(in_chunk)
            .order_by(ratings.c.goal_id, ratings.c.rated_on, ratings.c.id)
        ),
        "documents": _rows(
            _columns(Document)
            .join(episode, documents.c.episode_id == episode.c.id)
            .where(in_chunk, documents.c.status == DocumentStatus.FINAL.value)
            .order_by(documents.c.episode_id, documents.c.kind, documents.c.version)
        ),
    }


def _records(ids: Sequence[int], therapist_id: int | None) -> list[PatientRecord]:
    patient = Patient.__table__
    query = _columns(Patient).where(_in_range(patient.c.id, ids)).order_by(patient.c.id)
    if therapist_id is not None:
        query = query.where(patient.c.therapist_id == therapist_id)
    patients = _rows(query)
    symptoms: dict[int, list[str]] = defaultdict(list)
    symptom = PatientSymptom.__table__
    for row in _rows(
        select(symptom).where(_in_range(symptom.c.patient_id, ids)).order_by(symptom.c.symptom)
    ):
        symptoms[row.patient_id].append(str(row.symptom))
    episode = TreatmentEpisode.__table__
    episodes = _rows(
        _columns(TreatmentEpisode)
        .where(_in_range(episode.c.patient_id, ids))
        .order_by(episode.c.patient_id, episode.c.started_on, episode.c.id)
    )
    children = _episode_children(ids)
    by_episode: dict[int, EpisodeRecord] = {row.id: EpisodeRecord(row) for row in episodes}
    for row in children["sessions"]:
        by_episode[row.episode_id].sessions.append(row)
    for row in children["checkins"]:
        by_episode[row.episode_id].checkins[row.session_id] = row
    for row in children["phq15"]:
        record = by_episode[row.episode_id]
        (record.phq15 if row.voided_at is None else record.voided_phq15).append(row)
    for row in children["goals"]:
        by_episode[row.episode_id].goals.append(row)
    for row in children["ratings"]:
        record = by_episode[row.episode_id]
        ratings = record.ratings if row.voided_at is None else record.voided_ratings
        ratings.setdefault(row.goal_id, []).append(row)
    for row in children["documents"]:
        by_episode[row.episode_id].documents.append(row)
    of_patient: dict[int, list[EpisodeRecord]] = defaultdict(list)
    for record in by_episode.values():
        of_patient[record.row.patient_id].append(record)
    return [PatientRecord(row, symptoms[row.id], of_patient[row.id]) for row in patients]


def records_of(ids: Sequence[int]) -> list[PatientRecord]:
    """The records of one chunk of (sorted) patient ids."""
    return _records(ids, None) if ids else []


def iter_records(
    ids: Sequence[int], *, therapist_id: int | None = None, chunk: int = CHUNK_PATIENTS
) -> Iterator[list[PatientRecord]]:
    """The records of the given (sorted) patient ids, one chunk of patients at a time."""
    for part in _chunks(ids, chunk):
        yield _records(part, therapist_id)


def document_pdf(document_id: int) -> bytes:
    """The stored bytes of one final document (read one at a time: PDFs are large)."""
    pdf = db.session.scalar(select(Document.pdf).where(Document.id == document_id))
    return bytes(pdf or b"")


def day_number(day: date, intake: date) -> int:
    """Days from intake to a date (negative before it): dates as the research set gives them."""
    return (day - intake).days


def utc_text(moment: datetime) -> str:
    """A timestamp as FHIR and CSV write it: ISO 8601 in UTC, seconds precision."""
    return moment.isoformat(timespec="seconds")
