"""The one place that scopes clinical data to the logged-in therapist.

It is also where reading a record is put on the audit trail (NEN 7513): every helper that
loads a patient's record for a GET notes a read of it, and a refused lookup notes a denied
read, so no view has to remember.

Every view that touches patient data gets it through these helpers. A record outside the
caseload is a 404, not a 403, so its existence is not revealed; a nested object is looked up
through its parent, so a goal of patient A under patient B's URL is a 404 too. A practice
administrator has no caseload and so reaches no clinical record at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, false, select

from therapy.audit.events import note_read, note_search
from therapy.extensions import db
from therapy.models import (
    AllianceCheckin,
    Appointment,
    Document,
    FormulationEntry,
    Goal,
    GoalRating,
    Patient,
    Phq15Administration,
    SelfReportRequest,
    TherapySession,
    TreatmentEpisode,
)
from therapy.models.enums import AuditOutcome
from therapy.services.caseload.page import CaseloadPage

_Child = TypeVar("_Child")

# Database ids are 32-bit integers. A larger id in a URL can name no record, and passing it
# on would overflow the driver (SQLite) or the column type (PostgreSQL): a 404, not a 500.
MAX_ID = 2**31 - 1


def _require_ids(*ids: int) -> None:
    if any(not 1 <= value <= MAX_ID for value in ids):
        abort(404)


def current_therapist_id() -> int | None:
    """The logged-in therapist's id, or None for anyone without a caseload."""
    if not current_user.is_authenticated or not current_user.is_therapist:
        return None
    return int(current_user.id)


def caseload_patients() -> Select[tuple[Patient]]:
    """A select of the patients the logged-in account may see (none for non-therapists)."""
    therapist_id = current_therapist_id()
    query = select(Patient)
    if therapist_id is None:
        return query.where(false())
    return query.where(Patient.therapist_id == therapist_id)


def get_patient_or_404(patient_id: int, *options: Any) -> Patient:
    """A patient on the caseload, or 404."""
    _require_ids(patient_id)
    patient = db.session.scalar(
        caseload_patients().where(Patient.id == patient_id).options(*options)
    )
    if patient is None:
        note_read(patient_id, "patient", patient_id, AuditOutcome.DENIED)
        abort(404)
    note_read(patient.id, "patient", patient.id)
    return patient


def get_episode_or_404(patient_id: int, episode_id: int, *options: Any) -> TreatmentEpisode:
    """An episode of a patient on the caseload, reached through that patient, or 404."""
    _require_ids(patient_id, episode_id)
    query = (
        select(TreatmentEpisode)
        .join(Patient, TreatmentEpisode.patient_id == Patient.id)
        .where(
            TreatmentEpisode.id == episode_id,
            TreatmentEpisode.patient_id == patient_id,
            Patient.id.in_(caseload_patients().with_only_columns(Patient.id).scalar_subquery()),
        )
        .options(*options)
    )
    episode = db.session.scalar(query)
    if episode is None:
        note_read(patient_id, "treatment_episode", episode_id, AuditOutcome.DENIED)
        abort(404)
    note_read(patient_id, "treatment_episode", episode.id)
    return episode


def _child_of_episode_or_404(
    model: type[_Child], patient_id: int, episode_id: int, child_id: int, options: tuple[Any, ...]
) -> _Child:
    """A row of an episode's child table, reached through the episode, or 404 (audited)."""
    _require_ids(patient_id, episode_id, child_id)
    episode = get_episode_or_404(patient_id, episode_id)
    table = model.__table__.name  # type: ignore[attr-defined]
    child = db.session.scalar(
        select(model)
        .where(model.id == child_id, model.episode_id == episode.id)  # type: ignore[attr-defined]
        .options(*options)
    )
    if child is None:
        note_read(patient_id, table, child_id, AuditOutcome.DENIED)
        abort(404)
    note_read(patient_id, table, child_id)
    return child


def get_session_or_404(
    patient_id: int, episode_id: int, session_id: int, *options: Any
) -> TherapySession:
    """A session of an episode of a patient on the caseload, or 404."""
    return _child_of_episode_or_404(TherapySession, patient_id, episode_id, session_id, options)


def get_administration_or_404(
    patient_id: int, episode_id: int, administration_id: int, *options: Any
) -> Phq15Administration:
    """A PHQ-15 administration of an episode of a patient on the caseload, or 404."""
    return _child_of_episode_or_404(
        Phq15Administration, patient_id, episode_id, administration_id, options
    )


def get_checkin_or_404(patient_id: int, episode_id: int, checkin_id: int) -> AllianceCheckin:
    """An alliance check-in (voided or not) of a session of an episode on the caseload, or 404."""
    return _through_parent_or_404(
        AllianceCheckin,
        AllianceCheckin.session_id,
        TherapySession,
        patient_id,
        episode_id,
        checkin_id,
    )


def get_rating_or_404(patient_id: int, episode_id: int, rating_id: int) -> GoalRating:
    """A PSFS rating (voided or not) of a goal of an episode on the caseload, or 404."""
    return _through_parent_or_404(
        GoalRating, GoalRating.goal_id, Goal, patient_id, episode_id, rating_id
    )


def _through_parent_or_404(
    model: type[_Child],
    parent_key: Any,
    parent: type[TherapySession] | type[Goal],
    patient_id: int,
    episode_id: int,
    row_id: int,
) -> _Child:
    """A row that belongs to an episode through its parent (a session, a goal), or 404."""
    _require_ids(patient_id, episode_id, row_id)
    episode = get_episode_or_404(patient_id, episode_id)
    row = db.session.scalar(
        select(model)
        .join(parent, parent.id == parent_key)
        .where(model.id == row_id, parent.episode_id == episode.id)  # type: ignore[attr-defined]
    )
    return _noted_or_404(patient_id, model.__table__.name, row_id, row)  # type: ignore[attr-defined]


def _noted_or_404(patient_id: int, table: str, row_id: int, row: _Child | None) -> _Child:
    if row is None:
        note_read(patient_id, table, row_id, AuditOutcome.DENIED)
        abort(404)
    note_read(patient_id, table, row_id)
    return row


def get_self_report_request_or_404(
    patient_id: int, episode_id: int, request_id: int, *options: Any
) -> SelfReportRequest:
    """A request for the patient's own answers, of an episode on the caseload, or 404."""
    return _child_of_episode_or_404(SelfReportRequest, patient_id, episode_id, request_id, options)


def get_formulation_entry_or_404(
    patient_id: int, episode_id: int, entry_id: int, *options: Any
) -> FormulationEntry:
    """A formulation entry of an episode of a patient on the caseload, or 404."""
    return _child_of_episode_or_404(FormulationEntry, patient_id, episode_id, entry_id, options)


def get_document_or_404(
    patient_id: int, episode_id: int, document_id: int, *options: Any
) -> Document:
    """A document of an episode of a patient on the caseload, or 404."""
    return _child_of_episode_or_404(Document, patient_id, episode_id, document_id, options)


def get_appointment_or_404(
    patient_id: int, episode_id: int, appointment_id: int, *options: Any
) -> Appointment:
    """A planned session of an episode of a patient on the caseload, or 404."""
    return _child_of_episode_or_404(Appointment, patient_id, episode_id, appointment_id, options)


_CHILD_LOOKUPS: dict[str, Any] = {
    "appointment_id": get_appointment_or_404,
    "session_id": get_session_or_404,
    "administration_id": get_administration_or_404,
    "entry_id": get_formulation_entry_or_404,
    "document_id": get_document_or_404,
}


def patient_of_page_or_404(path_args: Mapping[str, Any]) -> int | None:
    """Check every id of a page's URL as the page itself would; the patient it belongs to.

    Used where a request names another page (a draft of its form): the same scoping, so a
    nested id under the wrong patient is a 404 here too. None for a page of no patient.
    """
    patient_id = path_args.get("patient_id")
    if patient_id is None:
        return None
    episode_id = path_args.get("episode_id")
    if episode_id is None:
        return get_patient_or_404(patient_id).id
    for name, lookup in _CHILD_LOOKUPS.items():
        if name in path_args:
            lookup(patient_id, episode_id, path_args[name])
            return int(patient_id)
    return get_episode_or_404(patient_id, episode_id).patient_id


def note_caseload_search(result: CaseloadPage) -> None:
    """A caseload narrowed by a search is a search of patient data: on the audit trail."""
    if result.query:
        note_search(result.query, result.total)
