"""Gather an episode into the plain-data snapshot both documents print, in fixed queries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from therapy.extensions import db
from therapy.i18n.labels import (
    ENDING_LABELS,
    PROFESSION_LABELS,
    REGISTER_LABELS,
    SEX_LABELS,
    STATUS_LABELS,
    SYMPTOM_LABELS,
)
from therapy.models import (
    GeneralPractitioner,
    Goal,
    Patient,
    Practice,
    TherapySession,
    TreatmentEpisode,
    User,
)
from therapy.models.enums import Register
from therapy.services.documents import phq15_part, sections
from therapy.services.documents.snapshot import (
    ClinicianInfo,
    ConsentInfo,
    EndingInfo,
    EpisodeRecord,
    GpInfo,
    PatientInfo,
    PracticeInfo,
    ReferralInfo,
)
from therapy.services.phq15.scoring import ChangeSettings

# Everything the documents print, loaded up front: the number of queries does not grow with
# the number of sessions, goals, ratings or administrations.
EPISODE_LOAD_OPTIONS: tuple[_AbstractLoad, ...] = (
    joinedload(TreatmentEpisode.patient).joinedload(Patient.gp),
    joinedload(TreatmentEpisode.therapist),
    joinedload(TreatmentEpisode.referred_by),
    joinedload(TreatmentEpisode.patient).selectinload(Patient.main_symptoms),
    selectinload(TreatmentEpisode.goals).selectinload(Goal.ratings),
    selectinload(TreatmentEpisode.sessions).selectinload(TherapySession.techniques),
    selectinload(TreatmentEpisode.sessions).joinedload(TherapySession.alliance),
    selectinload(TreatmentEpisode.phq15_administrations),
    selectinload(TreatmentEpisode.formulation_entries),
)

DEFAULT_PSFS_MCID = 2.0


def practice_row() -> Practice | None:
    """The practice's settings row (one per installation), if it has been created."""
    return db.session.scalar(select(Practice).order_by(Practice.id).limit(1))


def change_settings(practice: Practice | None) -> ChangeSettings:
    """PHQ-15 change settings of the practice, or the defaults of DOMAIN.md §3."""
    if practice is None:
        return ChangeSettings()
    return ChangeSettings(
        mcid=int(practice.phq15_mcid),
        sd=float(practice.phq15_sd),
        alpha=float(practice.phq15_alpha),
    )


def practice_info(practice: Practice | None) -> PracticeInfo:
    """The sender's letterhead as printed (empty while the practice has not filled it in)."""
    if practice is None:
        return PracticeInfo(name="", address="", phone="")
    return PracticeInfo(
        name=practice.name,
        address=practice.address,
        phone=practice.phone,
        postcode=practice.postcode,
        town=practice.town,
        email=practice.email,
        agb_code=practice.agb_code,
    )


def _clinician(therapist: User) -> ClinicianInfo:
    register = therapist.registration_register
    return ClinicianInfo(
        name=therapist.full_name,
        profession=str(PROFESSION_LABELS[therapist.profession]) if therapist.profession else "",
        registration_number=therapist.registration_number,
        register=str(REGISTER_LABELS[Register(register)]) if register else "",
        agb_code=therapist.agb_code,
    )


def _gp(gp: GeneralPractitioner | None) -> GpInfo | None:
    if gp is None:
        return None
    return GpInfo(
        name=gp.full_name,
        practice_name=gp.practice_name,
        address=gp.address,
        postcode=gp.postcode,
        city=gp.city,
        phone=gp.phone,
        email=gp.email,
        agb_code=gp.agb_code,
    )


def _patient(patient: Patient, on: date) -> PatientInfo:
    return PatientInfo(
        full_name=patient.full_name,
        initials=patient.initials,
        record_number=patient.record_number,
        date_of_birth=patient.date_of_birth,
        age=patient.age_on(on),
        sex=str(SEX_LABELS[patient.sex]),
        address=patient.address,
        main_symptoms=tuple(str(SYMPTOM_LABELS[s.symptom]) for s in patient.main_symptoms),
        other_symptoms=patient.other_symptoms,
        symptom_intensity=patient.symptom_intensity,
        bsn=patient.bsn or "",
        insurer=patient.insurer,
        insurance_number=patient.insurance_number,
    )


def _consent(episode: TreatmentEpisode) -> ConsentInfo:
    recorder = (
        db.session.get(User, episode.gp_consent_recorded_by_id)
        if episode.gp_consent_recorded_by_id
        else None
    )
    return ConsentInfo(
        given=episode.gp_consent,
        recorded_at=episode.gp_consent_recorded_at,
        recorded_by=recorder.full_name if recorder else "",
    )


def _ending(episode: TreatmentEpisode) -> EndingInfo:
    return EndingInfo(
        status=str(STATUS_LABELS[episode.status]),
        closed=episode.is_closed,
        closed_on=episode.closed_on,
        reason=str(ENDING_LABELS[episode.ending_reason]) if episode.ending_reason else "",
        reason_detail=episode.ending_reason_detail,
        outcome=episode.outcome,
        relapse_prevention=episode.relapse_prevention,
        advice=episode.advice,
        advice_patient=episode.advice_patient,
    )


def gather_episode(
    episode: TreatmentEpisode, practice: Practice | None, today: date
) -> EpisodeRecord:
    """The snapshot of an episode loaded with EPISODE_LOAD_OPTIONS; never touches a template."""
    patient, therapist = episode.patient, episode.therapist
    settings = change_settings(practice)
    psfs_mcid = float(practice.psfs_mcid) if practice else DEFAULT_PSFS_MCID
    return EpisodeRecord(
        practice=practice_info(practice),
        therapist=_clinician(therapist),
        patient=_patient(patient, today),
        gp=_gp(patient.gp),
        referral=ReferralInfo(
            referral_date=episode.referral_date,
            referred_by=_gp(episode.referred_by),
            referred_by_the_gp=episode.referred_by_id is not None
            and episode.referred_by_id == patient.gp_id,
            referral_question=episode.referral_question,
            request_for_help=episode.request_for_help,
            expectations=episode.expectations,
        ),
        started_on=episode.started_on,
        psfs=sections.psfs_summary(episode.goals, psfs_mcid, episode.is_closed),
        formulation=sections.formulation_grid(episode.formulation_entries),
        treatment=sections.treatment_summary(episode.sessions, episode.planned_sessions),
        phq15=phq15_part.phq15_summary(
            episode.counted_phq15, {s.id: s.number for s in episode.sessions}, settings
        ),
        alliance=sections.alliance_summary(episode.sessions),
        ending=_ending(episode),
        consent=_consent(episode),
    )
