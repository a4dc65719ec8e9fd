"""A patient on a therapist's caseload and the main symptoms they were referred with."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy.extensions import db
from therapy.models.enums import EducationLevel, RobbinsSymptom, Sex
from therapy.models.types import UTCDateTime, checked_enum, utcnow

if TYPE_CHECKING:
    from therapy.models.episode import TreatmentEpisode
    from therapy.models.practice import GeneralPractitioner, User


class Patient(db.Model):  # type: ignore[name-defined,misc]
    """A referred adult with persistent somatic symptoms, owned by one therapist."""

    __tablename__ = "patient"
    __table_args__ = (
        CheckConstraint(
            "symptom_intensity IS NULL OR symptom_intensity BETWEEN 0 AND 10",
            name="symptom_intensity_range",
        ),
        CheckConstraint("date_of_birth >= '1900-01-01'", name="date_of_birth_after_1900"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("bsn IS NULL OR length(bsn) = 9", name="bsn_nine_digits"),
        # One record per person: a BSN names one patient of the practice.
        Index("uq_patient_bsn", "bsn", unique=True),
        # The caseload lists a therapist's patients by name.
        Index("ix_patient_caseload", "therapist_id", "family_name", "given_name"),
        # A destroyed record's id is never given to a new patient, so the audit trail and the
        # destruction register never point at the wrong person (PostgreSQL never reuses ids).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    therapist_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    record_number: Mapped[str] = mapped_column(String(32), unique=True)
    given_name: Mapped[str] = mapped_column(String(100))
    # Dutch registration keeps the tussenvoegsel apart ("de" of "de Vries"): the name sorts
    # and is searched under its main surname, and is written whole on letters.
    voorvoegsel: Mapped[str] = mapped_column(String(20), default="", server_default="")
    family_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[Sex] = mapped_column(checked_enum(Sex, "sex"))
    education_level: Mapped[EducationLevel] = mapped_column(
        checked_enum(EducationLevel, "education_level"), default=EducationLevel.UNKNOWN
    )
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    gp_id: Mapped[int | None] = mapped_column(
        ForeignKey("general_practitioner.id"), nullable=True, index=True
    )
    # Burgerservicenummer (DOMAIN.md §8): nine digits that pass the 11-test, or NULL when not
    # recorded. Shown masked on screens, printed in full on documents to the GP.
    bsn: Mapped[str | None] = mapped_column(String(9), nullable=True)
    # Optional administrative details.
    insurer: Mapped[str] = mapped_column(String(100), default="", server_default="")
    insurance_number: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Symptoms in the patient's words that the Robbins list does not name.
    other_symptoms: Mapped[str] = mapped_column(Text, default="")
    symptom_intensity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Travels in edit forms so a save is a compare-and-swap, never a silent overwrite.
    version: Mapped[int] = mapped_column(Integer, default=1)

    therapist: Mapped[User] = relationship(foreign_keys=[therapist_id])
    gp: Mapped[GeneralPractitioner | None] = relationship()
    main_symptoms: Mapped[list[PatientSymptom]] = relationship(
        back_populates="patient", cascade="all, delete-orphan", order_by="PatientSymptom.symptom"
    )
    episodes: Mapped[list[TreatmentEpisode]] = relationship(
        back_populates="patient",
        cascade="all, delete-orphan",
        order_by="TreatmentEpisode.started_on",
    )

    @property
    def surname(self) -> str:
        """The family name with its voorvoegsel, as written after a given name ("de Vries")."""
        return " ".join(part for part in (self.voorvoegsel, self.family_name) if part)

    @property
    def full_name(self) -> str:
        """Given name and surname as written on letters ("Jan de Vries")."""
        return f"{self.given_name} {self.surname}"

    @property
    def sorted_name(self) -> str:
        """The name as a sorted list writes it: main surname first ("Vries, Jan de")."""
        rest = " ".join(part for part in (self.given_name, self.voorvoegsel) if part)
        return f"{self.family_name}, {rest}"

    @property
    def initials(self) -> str:
        """Initials for running headers, where the full name would be too much ("J.d.V.")."""
        given = [f"{part[0].upper()}." for part in self.given_name.split() if part]
        prefix = [f"{part[0].lower()}." for part in self.voorvoegsel.split() if part]
        family = [f"{part[0].upper()}." for part in self.family_name.split() if part]
        return "".join([*given, *prefix, *family])

    @property
    def masked_bsn(self) -> str:
        """The BSN as screens show it: only its last three digits, or "" when not recorded."""
        if not self.bsn:
            return ""
        return "\u2022" * (len(self.bsn) - 3) + self.bsn[-3:]

    def age_on(self, day: date) -> int:
        """Age in whole years on the given day."""
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - int(before_birthday)

    def __repr__(self) -> str:
        return f"<Patient {self.id}>"


class PatientSymptom(db.Model):  # type: ignore[name-defined,misc]
    """One Robbins-list main symptom a patient was referred with."""

    __tablename__ = "patient_symptom"

    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), primary_key=True
    )
    symptom: Mapped[RobbinsSymptom] = mapped_column(
        checked_enum(RobbinsSymptom, "symptom"), primary_key=True
    )

    patient: Mapped[Patient] = relationship(back_populates="main_symptoms")

    def __repr__(self) -> str:
        return f"<PatientSymptom {self.patient_id}>"
