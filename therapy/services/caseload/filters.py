"""Which patients a caseload view shows, by where their latest episode stands.

The default view leaves out a patient whose latest episode is closed with its documents
final (the treatment report, and the GP letter unless the patient refused one): nothing is
left to do for them. The other views: in treatment (intake or active), awaiting documents
(closed, a document still due), closed, and everyone.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ColumnElement, Select, and_, exists, func, not_, or_, select

from therapy.models import Document, Patient, TreatmentEpisode
from therapy.models.enums import DocumentKind, DocumentStatus, EpisodeStatus


class CaseloadView(StrEnum):
    """The caseload's filters."""

    CURRENT = "current"
    IN_TREATMENT = "in_treatment"
    AWAITING_DOCUMENTS = "awaiting_documents"
    CLOSED = "closed"
    ALL = "all"


def caseload_view(value: object) -> CaseloadView:
    """The view a URL asks for; the default for anything else."""
    try:
        return CaseloadView(str(value))
    except ValueError:
        return CaseloadView.CURRENT


def _latest_episodes() -> object:
    ranked = select(
        TreatmentEpisode.id,
        TreatmentEpisode.patient_id,
        TreatmentEpisode.status,
        TreatmentEpisode.gp_consent,
        func.row_number()
        .over(
            partition_by=TreatmentEpisode.patient_id,
            order_by=(TreatmentEpisode.started_on.desc(), TreatmentEpisode.id.desc()),
        )
        .label("rank"),
    ).subquery()
    return select(ranked).where(ranked.c.rank == 1).subquery("latest")


def _final(latest: object, kind: DocumentKind) -> ColumnElement[bool]:
    return exists().where(
        Document.episode_id == latest.c.id,  # type: ignore[attr-defined]
        Document.kind == kind,
        Document.status == DocumentStatus.FINAL,
    )


def view_filter(patients: Select[tuple[Patient]], view: CaseloadView) -> Select[tuple[Patient]]:
    """Narrow a (scoped) patient select to one view of the caseload."""
    if view == CaseloadView.ALL:
        return patients
    latest = _latest_episodes()
    columns = latest.c  # type: ignore[attr-defined]
    closed = columns.status == EpisodeStatus.CLOSED
    documents_done = and_(
        _final(latest, DocumentKind.TREATMENT_REPORT),
        or_(columns.gp_consent.is_(False), _final(latest, DocumentKind.GP_LETTER)),
    )
    condition = {
        CaseloadView.IN_TREATMENT: not_(closed),
        CaseloadView.AWAITING_DOCUMENTS: and_(closed, not_(documents_done)),
        CaseloadView.CLOSED: closed,
        CaseloadView.CURRENT: and_(closed, documents_done),
    }[view]
    chosen = select(columns.patient_id).where(condition)
    if view == CaseloadView.CURRENT:  # everyone but those with nothing left to do
        return patients.where(Patient.id.not_in(chosen))
    return patients.where(Patient.id.in_(chosen))
