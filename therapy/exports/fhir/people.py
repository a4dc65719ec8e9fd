"""Patient and Practitioner resources: who the record is about and who treated or referred."""

from __future__ import annotations

from typing import Any

from therapy.exports.fhir import codes as c
from therapy.exports.records import recorded_bsn
from therapy.models.enums import Profession

GENDER = {"female": "female", "male": "male", "other": "other"}


def patient_id(patient: Any) -> str:
    """The Patient resource id of a patient row."""
    return f"patient-{patient.id}"


def practitioner_id(user_id: int) -> str:
    """The Practitioner resource id of a therapist account."""
    return f"practitioner-{user_id}"


def gp_id(gp_row_id: int) -> str:
    """The Practitioner resource id of a GP (referrer)."""
    return f"gp-{gp_row_id}"


def patient_resource(patient: Any) -> dict[str, Any]:
    """The Patient: record number and BSN as identifiers, name, sex, birth date, contact, GP."""
    identifiers = [{"system": c.RECORD_NUMBER_SYSTEM, "value": patient.record_number}]
    bsn = recorded_bsn(patient)
    if bsn:
        identifiers.append({"use": "official", "system": c.BSN_SYSTEM, "value": bsn})
    name: dict[str, Any] = {"use": "official", "family": patient.family_name}
    if patient.given_name:
        name["given"] = [patient.given_name]
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": patient_id(patient),
        "identifier": identifiers,
        "name": [name],
        "gender": GENDER[str(patient.sex)],
        "birthDate": patient.date_of_birth.isoformat(),
    }
    telecom = [
        {"system": system, "value": value}
        for system, value in (("phone", patient.phone), ("email", patient.email))
        if value
    ]
    if telecom:
        resource["telecom"] = telecom
    if patient.address:
        resource["address"] = [{"text": patient.address}]
    if patient.gp_id is not None:
        resource["generalPractitioner"] = [c.reference("Practitioner", gp_id(patient.gp_id))]
    return resource


def practitioner_resource(user: Any) -> dict[str, Any]:
    """A therapist: name, profession and professional register number."""
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": practitioner_id(user.id),
        "name": [{"text": user.full_name}],
    }
    if user.registration_number:
        # Physical therapists are in the BIG register; exercise therapists in a quality register.
        big = user.profession == Profession.PHYSICAL_THERAPIST
        system = c.BIG_SYSTEM if big else c.REGISTRATION_SYSTEM
        resource["identifier"] = [{"system": system, "value": user.registration_number}]
    if user.profession is not None:
        resource["qualification"] = [{"code": c.concept(c.PROFESSION_SYSTEM, str(user.profession))}]
    return resource


def gp_resource(gp: Any) -> dict[str, Any]:
    """A GP or other referrer: name, AGB code, practice address and contact."""
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": gp_id(gp.id),
        "name": [{"text": gp.name}],
    }
    if gp.agb_code:
        resource["identifier"] = [{"system": c.AGB_SYSTEM, "value": gp.agb_code}]
    telecom = [
        {"system": system, "value": value}
        for system, value in (("phone", gp.phone), ("email", gp.email))
        if value
    ]
    if telecom:
        resource["telecom"] = telecom
    address = {
        key: value
        for key, value in (
            ("text", "\n".join(part for part in (gp.practice_name, gp.address) if part)),
            ("postalCode", gp.postcode),
            ("city", gp.city),
        )
        if value
    }
    if address:
        resource["address"] = [address]
    return resource
