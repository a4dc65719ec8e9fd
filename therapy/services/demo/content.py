"""The shape of the demo practice's content, and which language's content to seed.

The people and words themselves are in `english.py` and `dutch.py`: the same practice, the
same patients at the same stages with the same course (so both demos behave alike), each
written in its own language. Both use the same demo logins.
"""

from __future__ import annotations

from dataclasses import dataclass

from therapy.models.enums import EducationLevel, Profession, RobbinsSymptom, Role, Sex

DEMO_PASSWORD = "demo-practice-2026"  # noqa: S105 (demo database only) # nosec B105
# `flask demo-code` prints codes for these accounts only, whichever language was seeded.
DEMO_EMAILS = frozenset({"eva@demo.example", "daan@demo.example", "admin@demo.example"})


@dataclass(frozen=True)
class DemoAccount:
    """One seeded demo login; `flask demo-code` prints codes for these accounts only."""

    email: str
    full_name: str
    role: Role
    profession: Profession | None = None
    registration_number: str = ""


@dataclass(frozen=True)
class DemoPatient:
    """One invented patient and how far their treatment has come."""

    given_name: str
    family_name: str
    sex: Sex
    born: tuple[int, int, int]
    education: EducationLevel
    symptoms: tuple[RobbinsSymptom, ...]
    other_symptoms: str
    intensity: int
    stage: str  # "referred", "mid", "closed"
    sessions: int
    referral_question: str
    request_for_help: str
    goals: tuple[str, ...]
    voorvoegsel: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class DemoTexts:
    """The words the seeder writes into every episode, session and closing."""

    practice_name: str
    practice_address: str
    practice_phone: str
    expectations: str
    symptom_course_first: str
    symptom_course_later: str
    home_exercises: str
    goal_patient_words: str  # with {activity}
    closing_outcome: str
    relapse_prevention: str
    gp_advice: str


@dataclass(frozen=True)
class DemoContent:
    """A whole demo practice in one language."""

    therapists: tuple[DemoAccount, ...]
    admin: DemoAccount
    gps: tuple[dict[str, str], ...]
    patients: tuple[DemoPatient, ...]
    scebs_notes: dict[str, str]
    formulation: tuple[tuple[str, str, str], ...]
    texts: DemoTexts

    @property
    def accounts(self) -> tuple[DemoAccount, ...]:
        """Every demo login."""
        return (*self.therapists, self.admin)
