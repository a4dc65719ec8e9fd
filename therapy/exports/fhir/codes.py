"""The code systems, identifier systems and extensions the FHIR export writes (see README).

LOINC codes for the PHQ-15 come from the pure scoring module; the practice's own concepts
(protocol elements, PSFS, band, scoring rule) use code systems under DEFINITIONS, a base
that names this product and can never resolve to someone else's server (.invalid).
"""

from __future__ import annotations

from typing import Any

FHIR_VERSION = "4.0.1"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
DATA_ABSENT_EXTENSION = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
# Dutch national identifier systems (nl-core): BSN, AGB (care providers), BIG register.
BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn"
AGB_SYSTEM = "http://fhir.nl/fhir/NamingSystem/agb-z"
BIG_SYSTEM = "http://fhir.nl/fhir/NamingSystem/big"

DEFINITIONS = "https://psychosomatic-therapy.invalid/fhir"
RECORD_NUMBER_SYSTEM = f"{DEFINITIONS}/NamingSystem/record-number"
REGISTRATION_SYSTEM = f"{DEFINITIONS}/NamingSystem/quality-register"
PROTOCOL_ELEMENT_SYSTEM = f"{DEFINITIONS}/CodeSystem/protocol-element"
PSFS_SYSTEM = f"{DEFINITIONS}/CodeSystem/psfs"
PHQ15_BAND_SYSTEM = f"{DEFINITIONS}/CodeSystem/phq15-severity-band"
PHQ15_RULE_SYSTEM = f"{DEFINITIONS}/CodeSystem/phq15-scoring-rule"
PHQ15_TIMEPOINT_SYSTEM = f"{DEFINITIONS}/CodeSystem/phq15-timepoint"
ENDING_REASON_SYSTEM = f"{DEFINITIONS}/CodeSystem/ending-reason"
ATTENDANCE_SYSTEM = f"{DEFINITIONS}/CodeSystem/attendance"
DOCUMENT_KIND_SYSTEM = f"{DEFINITIONS}/CodeSystem/document-kind"
PROFESSION_SYSTEM = f"{DEFINITIONS}/CodeSystem/profession"
# Extensions: an Encounter carries its session number, attendance and minutes per element.
SESSION_NUMBER_EXTENSION = f"{DEFINITIONS}/StructureDefinition/session-number"
ATTENDANCE_EXTENSION = f"{DEFINITIONS}/StructureDefinition/attendance"
ELEMENT_MINUTES_EXTENSION = f"{DEFINITIONS}/StructureDefinition/protocol-element-minutes"
ENDING_REASON_EXTENSION = f"{DEFINITIONS}/StructureDefinition/ending-reason"
SHA256_EXTENSION = f"{DEFINITIONS}/StructureDefinition/attachment-sha256"

PHQ15_QUESTIONNAIRE = "http://loinc.org/q/69728-4"
PSFS_RATING_CODE = "activity-rating"
PSFS_MEAN_CODE = "mean"
BAND_CODE = "severity-band"


def coding(system: str, code: str, display: str = "") -> dict[str, Any]:
    """One Coding (display left out when there is none)."""
    value: dict[str, Any] = {"system": system, "code": code}
    if display:
        value["display"] = display
    return value


def concept(system: str, code: str, text: str = "") -> dict[str, Any]:
    """A CodeableConcept of one coding, with its words as text when there are any."""
    value: dict[str, Any] = {"coding": [coding(system, code)]}
    if text:
        value["text"] = text
    return value


def reference(resource_type: str, resource_id: str) -> dict[str, Any]:
    """A relative reference, resolved within the Bundle or the NDJSON file."""
    return {"reference": f"{resource_type}/{resource_id}"}


def score(value: float) -> dict[str, Any]:
    """A questionnaire score as a Quantity in UCUM's {score}."""
    return {"value": value, "unit": "{score}", "system": UCUM, "code": "{score}"}


def minutes(value: int) -> dict[str, Any]:
    """Minutes as a UCUM Quantity (a Duration)."""
    return {"value": value, "unit": "min", "system": UCUM, "code": "min"}


def absent(reason: str) -> dict[str, Any]:
    """Why a value is missing: "not-applicable" (PHQ-15 item 4) or "unknown" (left blank)."""
    return concept(DATA_ABSENT_REASON, reason)


SURVEY = [concept(OBSERVATION_CATEGORY, "survey")]
PHQ15_TIMEPOINT_EXTENSION = f"{DEFINITIONS}/StructureDefinition/phq15-timepoint"
PSFS_OCCASION_EXTENSION = f"{DEFINITIONS}/StructureDefinition/psfs-occasion"
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
PSFS_GOAL_EXTENSION = f"{DEFINITIONS}/StructureDefinition/psfs-goal"
