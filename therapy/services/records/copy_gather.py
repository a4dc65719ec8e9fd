"""Gather a patient's whole record for their copy (WGBO art. 7:456), in a fixed number of queries.

Every episode with what its documents print (therapy.services.documents.gather), and beside
it everything they summarise: each session's notes, each rating, each PHQ-15 answer, the
formulation with its history, the amendments, and each final document's stored bytes, checked
against the SHA-256 kept with them. Drafts of documents are work in progress, never sent, and
so not part of the copy. The caller scopes: this reads whatever patient it is given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

from therapy.extensions import db
from therapy.i18n.labels import EDUCATION_LABELS, SEX_LABELS, SYMPTOM_LABELS
from therapy.models import (
    Amendment,
    Document,
    FormulationEntry,
    Goal,
    Patient,
    TherapySession,
    TreatmentEpisode,
    User,
)
from therapy.models.enums import DocumentStatus
from therapy.services.documents.gather import (
    EPISODE_LOAD_OPTIONS,
    gather_episode,
    practice_info,
    practice_row,
)
from therapy.services.documents.produce import KIND_TITLES, file_name
from therapy.services.documents.snapshot import GpInfo
from therapy.services.records.copy_rows import (
    AmendmentRow,
    DocumentFile,
    EpisodeCopy,
    PatientCopy,
    PatientDetails,
    formulation_history,
    goal_course,
    phq15_answers,
    session_notes,
)

DOCUMENT_FOLDER = "documents"


def _details(patient: Patient) -> PatientDetails:
    return PatientDetails(
        full_name=patient.full_name,
        record_number=patient.record_number,
        bsn=patient.bsn or "",
        insurer=patient.insurer,
        insurance_number=patient.insurance_number,
        date_of_birth=patient.date_of_birth,
        sex=str(SEX_LABELS[patient.sex]),
        education=str(EDUCATION_LABELS[patient.education_level]),
        address=patient.address,
        phone=patient.phone,
        email=patient.email,
        main_symptoms=tuple(str(SYMPTOM_LABELS[s.symptom]) for s in patient.main_symptoms),
        other_symptoms=patient.other_symptoms,
        symptom_intensity=patient.symptom_intensity,
        registered_at=patient.created_at,
    )


def _documents(episode_ids: Sequence[int], record_number: str) -> dict[int, list[DocumentFile]]:
    """The final documents of these episodes with their stored bytes (one query)."""
    found: dict[int, list[DocumentFile]] = {episode_id: [] for episode_id in episode_ids}
    rows = db.session.scalars(
        select(Document)
        .where(Document.episode_id.in_(episode_ids), Document.status == DocumentStatus.FINAL)
        .options(undefer(Document.pdf))
        .order_by(Document.kind, Document.version)
    )
    for document in rows:
        content = document.pdf or b""
        intact = hashlib.sha256(content).hexdigest() == document.sha256
        found[document.episode_id].append(
            DocumentFile(
                title=str(KIND_TITLES[document.kind]),
                version=document.version,
                finalised_at=document.finalised_at,
                sent_at=document.sent_at,
                sha256=document.sha256 or "",
                file_name=f"{DOCUMENT_FOLDER}/{file_name(document, record_number)}",
                content=content if intact else b"",
                intact=intact,
            )
        )
    return found


def _amendments(episode_ids: Sequence[int]) -> dict[int, list[AmendmentRow]]:
    """Every amendment of these episodes with its author's name, oldest first (one query)."""
    found: dict[int, list[AmendmentRow]] = {episode_id: [] for episode_id in episode_ids}
    rows = db.session.execute(
        select(Amendment, User.full_name)
        .join(User, User.id == Amendment.author_id)
        .where(Amendment.episode_id.in_(episode_ids))
        .order_by(Amendment.created_at, Amendment.id)
    )
    for amendment, author in rows:
        found[amendment.episode_id].append(
            AmendmentRow(amendment.created_at, author, amendment.target, amendment.text)
        )
    return found


def gather_copy(patient: Patient, today: date) -> PatientCopy:
    """The patient's whole record as plain data, dated `today` (the practice's date)."""
    episodes = list(
        db.session.scalars(
            select(TreatmentEpisode)
            .where(TreatmentEpisode.patient_id == patient.id)
            .options(
                *EPISODE_LOAD_OPTIONS,
                # The copy shows the voided check-ins and ratings too, marked with their reason.
                selectinload(TreatmentEpisode.goals).selectinload(Goal.every_rating),
                selectinload(TreatmentEpisode.sessions).selectinload(TherapySession.checkins),
                selectinload(TreatmentEpisode.formulation_entries).selectinload(
                    FormulationEntry.revisions
                ),
            )
            .order_by(TreatmentEpisode.started_on, TreatmentEpisode.id)
        )
    )
    ids = [episode.id for episode in episodes]
    documents = _documents(ids, patient.record_number) if ids else {}
    amendments = _amendments(ids) if ids else {}
    practice = practice_row()
    copies = []
    for episode in episodes:
        record = gather_episode(episode, practice, today)
        numbers = {s.id: s.number for s in episode.sessions}
        copies.append(
            EpisodeCopy(
                record=record,
                planned_sessions=episode.planned_sessions,
                planned_sessions_reason=episode.planned_sessions_reason,
                sessions=tuple(session_notes(s) for s in episode.sessions),
                goals=tuple(goal_course(goal) for goal in episode.goals),
                phq15=tuple(
                    phq15_answers(a, numbers.get(a.session_id) if a.session_id else None)
                    for a in episode.phq15_administrations
                ),
                formulation=tuple(formulation_history(e) for e in episode.formulation_entries),
                amendments=tuple(amendments[episode.id]),
                documents=tuple(documents[episode.id]),
            )
        )
    gp = patient.gp
    return PatientCopy(
        practice=practice_info(practice),
        patient=_details(patient),
        gp=GpInfo(
            name=gp.name,
            practice_name=gp.practice_name,
            address=gp.address,
            postcode=gp.postcode,
            city=gp.city,
            phone=gp.phone,
            email=gp.email,
            agb_code=gp.agb_code,
        )
        if gp
        else None,
        episodes=tuple(copies),
        made_on=today,
    )
