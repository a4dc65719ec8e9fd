"""Creating and editing patients, and the practice's list of GPs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from therapy.extensions import db
from therapy.models import GeneralPractitioner, Patient, PatientSymptom
from therapy.models.enums import EducationLevel, RobbinsSymptom, Sex
from therapy.models.versioning import claim_version
from therapy.services.patients.record_numbers import next_record_number


class DuplicateBsn(Exception):
    """Another patient of the practice already has this BSN: one person, one record."""


# A record number taken at the same moment by another transaction is tried again this often.
_NUMBER_ATTEMPTS = 3

# PatientDetails.bsn when the form leaves the recorded BSN as it is.
KEEP_BSN = None


@dataclass(frozen=True)
class PatientDetails:
    """Everything the patient form edits, as plain data (the record number is given by the
    app, never typed: therapy.services.patients.record_numbers)."""

    given_name: str
    family_name: str
    date_of_birth: date
    sex: Sex
    education_level: EducationLevel = EducationLevel.UNKNOWN
    address: str = ""
    phone: str = ""
    email: str = ""
    # Nine checked digits, "" to remove the recorded BSN, KEEP_BSN (None) to leave it as it is.
    bsn: str | None = KEEP_BSN
    insurer: str = ""
    insurance_number: str = ""
    gp_id: int | None = None
    voorvoegsel: str = ""
    # Filled in when the therapist adds a GP in the same form: the new GP's columns.
    new_gp: dict[str, str] = field(default_factory=dict)
    symptoms: tuple[RobbinsSymptom, ...] = ()
    other_symptoms: str = ""
    symptom_intensity: int | None = None


def gp_options() -> list[tuple[int, str]]:
    """Every GP of the practice as (id, "name, practice, town"), by main surname."""
    gps = db.session.scalars(
        select(GeneralPractitioner).order_by(
            func.lower(GeneralPractitioner.family_name),
            func.lower(GeneralPractitioner.name),
            GeneralPractitioner.id,
        )
    )
    return [
        (gp.id, ", ".join(part for part in (gp.full_name, gp.practice_name, gp.city) if part))
        for gp in gps
    ]


def create_patient(therapist_id: int, details: PatientDetails) -> Patient:
    """Add a patient to the therapist's caseload under the practice's next record number."""
    _check_bsn(details.bsn, None)
    patient = Patient(therapist_id=therapist_id)
    _apply(patient, details)
    for attempt in range(_NUMBER_ATTEMPTS):
        patient.record_number = next_record_number()
        try:
            with db.session.begin_nested():
                db.session.add(patient)
                db.session.flush()
        except IntegrityError:
            # Only a number that another transaction took at the same moment is tried again
            # (the counter makes that all but impossible); any other conflict is the caller's.
            if attempt + 1 == _NUMBER_ATTEMPTS or not _number_taken(patient.record_number):
                raise
        else:
            return patient
    raise AssertionError("unreachable")  # pragma: no cover


def update_patient(patient: Patient, details: PatientDetails, expected_version: int | None) -> None:
    """Save an edit made from the form of version `expected_version`, or raise StaleEdit.
    The record number stays as it is."""
    _check_bsn(details.bsn, patient.id)
    claim_version(Patient, patient, expected_version)
    _apply(patient, details)
    db.session.flush()


def _number_taken(record_number: str) -> bool:
    query = select(Patient.id).where(Patient.record_number == record_number)
    return db.session.scalar(query.limit(1)) is not None


def _check_bsn(bsn: str | None, patient_id: int | None) -> None:
    if not bsn:
        return
    query = select(Patient.id).where(Patient.bsn == bsn)
    if patient_id is not None:
        query = query.where(Patient.id != patient_id)
    if db.session.scalar(query.limit(1)) is not None:
        raise DuplicateBsn()


def _apply(patient: Patient, details: PatientDetails) -> None:
    patient.given_name = details.given_name
    patient.voorvoegsel = details.voorvoegsel
    patient.family_name = details.family_name
    patient.date_of_birth = details.date_of_birth
    patient.sex = details.sex
    patient.education_level = details.education_level
    patient.address = details.address
    patient.phone = details.phone
    patient.email = details.email
    if details.bsn is not KEEP_BSN:
        patient.bsn = details.bsn or None
    patient.insurer = details.insurer
    patient.insurance_number = details.insurance_number
    patient.other_symptoms = details.other_symptoms
    patient.symptom_intensity = details.symptom_intensity
    if details.new_gp:
        gp = GeneralPractitioner(**details.new_gp)
        db.session.add(gp)
        db.session.flush()
        patient.gp_id = gp.id
    else:
        patient.gp_id = details.gp_id
    wanted = set(details.symptoms)
    patient.main_symptoms = [s for s in patient.main_symptoms if s.symptom in wanted] + [
        PatientSymptom(symptom=symptom)
        for symptom in sorted(wanted - {s.symptom for s in patient.main_symptoms})
    ]
