"""The plain data of the patient's copy: every part of the record as frozen dataclasses.

The documents' snapshot (therapy.services.documents.snapshot) summarises an episode; the copy
holds all of it: every session's notes, every rating, every PHQ-15 answer, the formulation
with its history, the amendments and the final documents' stored bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from therapy.i18n.labels import (
    ATTENDANCE_LABELS,
    ELEMENT_LABELS,
    GOAL_STATUS_LABELS,
    SCEBS_LABELS,
    phq15_timepoint_text,
)
from therapy.i18n.translation import gettext as _
from therapy.models import (
    AllianceCheckin,
    FormulationEntry,
    Goal,
    Phq15Administration,
    TherapySession,
)
from therapy.models.enums import ProtocolElement, RatingOccasion
from therapy.services.documents.snapshot import EpisodeRecord, GpInfo, PracticeInfo
from therapy.services.formulation.grid import DIMENSION_LABELS, FACTOR_LABELS
from therapy.services.phq15 import scoring as phq15
from therapy.services.protocol.elements import TECHNIQUES

NOTE_COLUMNS = {
    ProtocolElement.EDUCATION: "education_note",
    ProtocolElement.BODY: "body_note",
    ProtocolElement.COGNITIVE: "cognitive_note",
    ProtocolElement.ACTIVATING: "activating_note",
}
SCEBS_COLUMNS = ("somatic", "cognitive", "emotional", "behavioural", "social")


@dataclass(frozen=True)
class Labelled:
    """A text with the heading it is printed under."""

    label: str
    text: str


@dataclass(frozen=True)
class AllianceRow:
    """The session's alliance check-in, as answered."""

    bond: int
    goals: int
    tasks: int
    left_unsaid: str
    void_reason: str = ""  # voided by the therapist (issue 13): kept as given, counted nowhere


@dataclass(frozen=True)
class SessionNotes:
    """Everything recorded about one session."""

    number: int
    held_on: date
    attendance: str
    duration: int | None
    minutes: tuple[Labelled, ...]
    techniques: tuple[str, ...]
    symptom_course: str
    scebs: tuple[Labelled, ...]
    element_notes: tuple[Labelled, ...]
    home_exercises: str
    notes: str
    alliance: AllianceRow | None
    voided_checkins: tuple[AllianceRow, ...] = ()


@dataclass(frozen=True)
class RatingRow:
    """One PSFS rating of a goal."""

    rated_on: date
    occasion: str
    score: int
    void_reason: str = ""  # voided by the therapist (issue 13): kept as given, counted nowhere


@dataclass(frozen=True)
class GoalCourse:
    """A PSFS goal with every rating it was given."""

    position: int
    activity: str
    patient_words: str
    status: str
    ratings: tuple[RatingRow, ...]


@dataclass(frozen=True)
class Phq15Answers:
    """One PHQ-15 with each of its fifteen answers as given."""

    administered_on: date
    timepoint: str
    note: str
    answers: tuple[str, ...]
    void_reason: str = ""  # voided by the therapist (issue 13): kept as given, counted nowhere


@dataclass(frozen=True)
class FormulationHistory:
    """One formulation entry: where it sits, its text now, and the texts it had before."""

    dimension: str
    factor: str
    text: str
    noted_at: datetime
    withdrawn_at: datetime | None
    earlier: tuple[tuple[datetime, str], ...]


@dataclass(frozen=True)
class AmendmentRow:
    """An amendment to a closed episode."""

    created_at: datetime
    author: str
    target: str
    text: str


@dataclass(frozen=True)
class DocumentFile:
    """A final document: when it was made and sent, its hash, and its file in the copy."""

    title: str
    version: int
    finalised_at: datetime | None
    sent_at: datetime | None
    sha256: str
    file_name: str
    # The stored bytes; empty when they no longer match the SHA-256 (then not in the copy).
    content: bytes
    intact: bool


@dataclass(frozen=True)
class EpisodeCopy:
    """One treatment episode, whole."""

    record: EpisodeRecord
    planned_sessions: int
    planned_sessions_reason: str
    sessions: tuple[SessionNotes, ...]
    goals: tuple[GoalCourse, ...]
    phq15: tuple[Phq15Answers, ...]
    formulation: tuple[FormulationHistory, ...]
    amendments: tuple[AmendmentRow, ...]
    documents: tuple[DocumentFile, ...]


@dataclass(frozen=True)
class PatientDetails:
    """The patient as registered."""

    full_name: str
    record_number: str
    # The patient's own copy shows the whole BSN (screens mask it).
    bsn: str
    insurer: str
    insurance_number: str
    date_of_birth: date
    sex: str
    education: str
    address: str
    phone: str
    email: str
    main_symptoms: tuple[str, ...]
    other_symptoms: str
    symptom_intensity: int | None
    registered_at: datetime


@dataclass(frozen=True)
class PatientCopy:
    """The patient's whole record, as the copy prints it."""

    practice: PracticeInfo
    patient: PatientDetails
    gp: GpInfo | None
    episodes: tuple[EpisodeCopy, ...]
    made_on: date

    @property
    def documents(self) -> tuple[DocumentFile, ...]:
        """Every final document of every episode."""
        return tuple(document for episode in self.episodes for document in episode.documents)


def session_notes(session: TherapySession) -> SessionNotes:
    """A session's every field, in words."""
    codes = {(t.element, t.technique) for t in session.techniques}
    alliance = session.alliance
    return SessionNotes(
        number=session.number,
        held_on=session.held_on,
        attendance=str(ATTENDANCE_LABELS[session.attendance]),
        duration=session.duration_minutes,
        minutes=tuple(
            Labelled(str(ELEMENT_LABELS[e]), str(session.minutes_for(e))) for e in ProtocolElement
        ),
        techniques=tuple(
            str(technique.label)
            for element, techniques in TECHNIQUES.items()
            for technique in techniques
            if (element, technique.code) in codes
        ),
        symptom_course=session.symptom_course,
        scebs=tuple(
            Labelled(str(SCEBS_LABELS[dimension]), getattr(session, f"scebs_{column}"))
            for dimension, column in zip(SCEBS_LABELS, SCEBS_COLUMNS, strict=True)
            if getattr(session, f"scebs_{column}")
        ),
        element_notes=tuple(
            Labelled(str(ELEMENT_LABELS[e]), getattr(session, column))
            for e, column in NOTE_COLUMNS.items()
            if getattr(session, column)
        ),
        home_exercises=session.home_exercises,
        notes=session.notes,
        alliance=_alliance_row(alliance) if alliance else None,
        voided_checkins=tuple(_alliance_row(c) for c in session.checkins if c.is_voided),
    )


def _alliance_row(checkin: AllianceCheckin) -> AllianceRow:
    return AllianceRow(
        checkin.bond, checkin.goals, checkin.tasks, checkin.left_unsaid, checkin.void_reason
    )


def _occasion(occasion: RatingOccasion) -> str:
    return {
        RatingOccasion.BASELINE: _("Baseline (intake)"),
        RatingOccasion.REVIEW: _("Review at a session"),
        RatingOccasion.END: _("End of treatment"),
    }[occasion]


def goal_course(goal: Goal) -> GoalCourse:
    """A goal with all its ratings, oldest first."""
    return GoalCourse(
        position=goal.position,
        activity=goal.activity,
        patient_words=goal.patient_words,
        status=str(GOAL_STATUS_LABELS[goal.status]),
        ratings=tuple(
            RatingRow(r.rated_on, _occasion(r.occasion), r.score, r.void_reason)
            for r in goal.every_rating
        ),
    )


def phq15_answers(administration: Phq15Administration, session_number: int | None) -> Phq15Answers:
    """The fifteen answers: 0, 1, 2, "n/a" for item 4 not applicable, "–" when left open."""
    shown = []
    for answer in administration.answers():
        if answer == phq15.NOT_APPLICABLE:
            shown.append(_("n/a"))
        else:
            shown.append("–" if answer is None else str(answer))
    timepoint = phq15_timepoint_text(
        administration.timepoint, session_number, administration.timepoint_note
    )
    # The note is part of the timepoint's words only for "other"; the copy shows it always.
    note = "" if administration.timepoint_note in timepoint else administration.timepoint_note
    return Phq15Answers(
        administration.administered_on,
        timepoint,
        note,
        tuple(shown),
        administration.void_reason,
    )


def formulation_history(entry: FormulationEntry) -> FormulationHistory:
    """An entry with the texts it had before each edit."""
    return FormulationHistory(
        dimension=str(DIMENSION_LABELS[entry.dimension]),
        factor=str(FACTOR_LABELS[entry.factor]),
        text=entry.text,
        noted_at=entry.created_at,
        withdrawn_at=entry.withdrawn_at,
        earlier=tuple((r.edited_at, r.text) for r in entry.revisions),
    )
