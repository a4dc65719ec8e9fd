"""The one place that scopes clinical data to the logged-in therapist.

Every view that touches patient data gets it through these helpers. A record outside the
caseload is a 404, not a 403, so its existence is not revealed; a nested object is looked up
through its parent, so a goal of patient A under patient B's URL is a 404 too. A practice
administrator has no caseload and so reaches no clinical record at all.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, false, select

from therapy.extensions import db
from therapy.models import Document, FormulationEntry, Patient, TherapySession, TreatmentEpisode


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
    patient = db.session.scalar(
        caseload_patients().where(Patient.id == patient_id).options(*options)
    )
    if patient is None:
        abort(404)
    return patient


def get_episode_or_404(patient_id: int, episode_id: int, *options: Any) -> TreatmentEpisode:
    """An episode of a patient on the caseload, reached through that patient, or 404."""
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
        abort(404)
    return episode


def get_session_or_404(
    patient_id: int, episode_id: int, session_id: int, *options: Any
) -> TherapySession:
    """A session of an episode of a patient on the caseload, or 404."""
    episode = get_episode_or_404(patient_id, episode_id)
    session = db.session.scalar(
        select(TherapySession)
        .where(TherapySession.id == session_id, TherapySession.episode_id == episode.id)
        .options(*options)
    )
    if session is None:
        abort(404)
    return session


def get_formulation_entry_or_404(
    patient_id: int, episode_id: int, entry_id: int, *options: Any
) -> FormulationEntry:
    """A formulation entry of an episode of a patient on the caseload, or 404."""
    episode = get_episode_or_404(patient_id, episode_id)
    entry = db.session.scalar(
        select(FormulationEntry)
        .where(FormulationEntry.id == entry_id, FormulationEntry.episode_id == episode.id)
        .options(*options)
    )
    if entry is None:
        abort(404)
    return entry


def get_document_or_404(
    patient_id: int, episode_id: int, document_id: int, *options: Any
) -> Document:
    """A document of an episode of a patient on the caseload, or 404."""
    episode = get_episode_or_404(patient_id, episode_id)
    document = db.session.scalar(
        select(Document)
        .where(Document.id == document_id, Document.episode_id == episode.id)
        .options(*options)
    )
    if document is None:
        abort(404)
    return document
