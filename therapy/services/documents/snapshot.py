"""The plain-data snapshot a document is made from: frozen dataclasses, no ORM objects.

Templates only ever see these. A finalised document stores `to_jsonable(snapshot)` next to
its PDF, so the data it was made from can be read back without the database as it is now.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from therapy.services.documents.phq15_part import Phq15Summary


@dataclasses.dataclass(frozen=True)
class PracticeInfo:
    """The practice as printed on the letterhead and in the running header."""

    name: str
    address: str
    phone: str
    postcode: str = ""
    town: str = ""
    email: str = ""
    agb_code: str = ""


@dataclasses.dataclass(frozen=True)
class ClinicianInfo:
    """The treating therapist, who signs."""

    name: str
    profession: str
    registration_number: str
    register: str = ""  # "BIG register" or "Kwaliteitsregister Paramedici", in words
    agb_code: str = ""


@dataclasses.dataclass(frozen=True)
class GpInfo:
    """A GP or other referrer, with what an address block needs."""

    name: str
    practice_name: str
    address: str
    postcode: str
    city: str
    phone: str
    email: str
    agb_code: str


@dataclasses.dataclass(frozen=True)
class PatientInfo:
    """Who the document is about."""

    full_name: str
    initials: str
    record_number: str
    date_of_birth: date
    age: int
    sex: str
    address: str
    main_symptoms: tuple[str, ...]
    other_symptoms: str
    symptom_intensity: int | None
    bsn: str = ""  # printed in full: GP systems file a letter by it (DOMAIN.md §8)
    insurer: str = ""
    insurance_number: str = ""


@dataclasses.dataclass(frozen=True)
class ReferralInfo:
    """The referral and the patient's own request for help."""

    referral_date: date
    referred_by: GpInfo | None
    referred_by_the_gp: bool  # the referrer is the patient's GP, to whom the letter goes
    referral_question: str
    request_for_help: str
    expectations: str


@dataclasses.dataclass(frozen=True)
class GoalRow:
    """One PSFS activity with its first and last rating."""

    position: int
    activity: str
    patient_words: str
    status: str
    baseline: int | None
    end: int | None


@dataclasses.dataclass(frozen=True)
class PsfsSummary:
    """PSFS goals, baseline -> end, and whether the mean moved by the MCID or more."""

    goals: tuple[GoalRow, ...]
    end_label: str
    baseline_mean: float | None
    end_mean: float | None
    change: float | None
    mcid: float
    important: bool | None
    # Who gave the ratings, counted by source (DOMAIN.md §9).
    answered_by: str = ""


@dataclasses.dataclass(frozen=True)
class FormulationRow:
    """One SCEBS dimension across the four Ps: the texts in each cell."""

    dimension: str
    cells: tuple[tuple[str, ...], ...]


@dataclasses.dataclass(frozen=True)
class FormulationGrid:
    """The 4P x SCEBS grid as it stands (withdrawn entries left out)."""

    factors: tuple[str, ...]
    questions: tuple[str, ...]
    rows: tuple[FormulationRow, ...]
    entry_count: int


@dataclasses.dataclass(frozen=True)
class SessionRow:
    """One planned or held session, with minutes per protocol element."""

    number: int
    held_on: date
    attendance: str
    attended: bool
    duration: int | None
    minutes: tuple[int, ...]


@dataclasses.dataclass(frozen=True)
class ElementUse:
    """One protocol element over the whole treatment."""

    name: str
    minutes: int
    share: int
    sessions: int
    techniques: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class HomeExercise:
    """Home exercises given, with the sessions in which they were given."""

    sessions: str
    text: str


@dataclasses.dataclass(frozen=True)
class TreatmentSummary:
    """Treatment given: sessions held against planned, dates, elements and home exercises."""

    planned: int
    held: int
    cancelled: int
    no_show: int
    first_date: date | None
    last_date: date | None
    element_names: tuple[str, ...]
    sessions: tuple[SessionRow, ...]
    element_totals: tuple[int, ...]
    total_minutes: int
    elements: tuple[ElementUse, ...]
    home_exercises: tuple[HomeExercise, ...]


@dataclasses.dataclass(frozen=True)
class AllianceFlag:
    """A check-in the therapist was alerted to, and why."""

    session_number: int
    held_on: date
    reason: str
    answered_by: str = ""  # who answered this check-in


@dataclasses.dataclass(frozen=True)
class AllianceSummary:
    """The practice's own three-question check-in over the treatment."""

    count: int
    bond: float | None
    goals: float | None
    tasks: float | None
    lowest: int | None
    flags: tuple[AllianceFlag, ...]
    left_unsaid: int
    # Who answered the check-ins, counted by source (DOMAIN.md §9).
    answered_by: str = ""


@dataclasses.dataclass(frozen=True)
class EndingInfo:
    """How the episode ended, its result, and what the patient takes along."""

    status: str
    closed: bool
    closed_on: date | None
    reason: str
    reason_detail: str
    outcome: str
    relapse_prevention: str
    advice: str  # for the GP
    advice_patient: str = ""


@dataclasses.dataclass(frozen=True)
class ConsentInfo:
    """The patient's consent to inform the GP, and who recorded it when."""

    given: bool | None
    recorded_at: datetime | None
    recorded_by: str


@dataclasses.dataclass(frozen=True)
class EpisodeRecord:
    """Everything both documents print about one treatment episode."""

    practice: PracticeInfo
    therapist: ClinicianInfo
    patient: PatientInfo
    gp: GpInfo | None
    referral: ReferralInfo
    started_on: date
    psfs: PsfsSummary
    formulation: FormulationGrid
    treatment: TreatmentSummary
    phq15: Phq15Summary
    alliance: AllianceSummary
    ending: EndingInfo
    consent: ConsentInfo


@dataclasses.dataclass(frozen=True)
class LetterContent:
    """The GP letter's free-text parts, prefilled from the record and edited before sending."""

    summary: str
    result: str
    advice_gp: str
    advice_patient: str
    agreed_with_patient: bool | None


@dataclasses.dataclass(frozen=True)
class DocumentMeta:
    """Which version of which document this is, as printed in its header and footer."""

    kind: str
    title: str
    version: int
    final: bool
    dated: date
    supersedes_version: int | None
    supersedes_dated: date | None
    supersedes_sha256: str


def to_jsonable(value: Any) -> Any:
    """Turn a snapshot into JSON types: dates as ISO strings, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_jsonable(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"{type(value).__name__} has no place in a document snapshot")
