"""A logged therapy session: the four protocol elements, SCEBS notes and the alliance check-in."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy.extensions import db
from therapy.models.enums import AnswerSource, Attendance, ProtocolElement
from therapy.models.types import UTCDateTime, checked_enum, utcnow
from therapy.models.voiding import Voidable, void_checks

if TYPE_CHECKING:
    from therapy.models.appointment import Appointment
    from therapy.models.episode import TreatmentEpisode

ELEMENT_MINUTE_COLUMNS = {
    ProtocolElement.EDUCATION: "education_minutes",
    ProtocolElement.BODY: "body_minutes",
    ProtocolElement.COGNITIVE: "cognitive_minutes",
    ProtocolElement.ACTIVATING: "activating_minutes",
}


def _minutes_check(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} BETWEEN 0 AND 240", name=f"{column}_range")


class TherapySession(db.Model):  # type: ignore[name-defined,misc]
    """One session of an episode, numbered in order (not named Session: see db.session)."""

    __tablename__ = "therapy_session"
    __table_args__ = (
        CheckConstraint("number BETWEEN 1 AND 100", name="number_range"),
        CheckConstraint(
            "duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 240",
            name="duration_range",
        ),
        CheckConstraint("held_on >= '1900-01-01'", name="held_on_after_1900"),
        CheckConstraint(
            "attendance <> 'attended' OR duration_minutes IS NOT NULL",
            name="attended_has_duration",
        ),
        CheckConstraint("version >= 1", name="version_positive"),
        *(_minutes_check(column) for column in ELEMENT_MINUTE_COLUMNS.values()),
        Index("uq_therapy_session_episode_number", "episode_id", "number", unique=True),
        Index("ix_therapy_session_episode_held_on", "episode_id", "held_on"),
        # One session per planned session: a logged appointment is not logged again.
        Index(
            "uq_therapy_session_appointment",
            "appointment_id",
            unique=True,
            sqlite_where=text("appointment_id IS NOT NULL"),
            postgresql_where=text("appointment_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("treatment_episode.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    # The planned session this one was logged for (None: logged without one, or it is gone).
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment.id", ondelete="SET NULL"), nullable=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    attendance: Mapped[Attendance] = mapped_column(
        checked_enum(Attendance, "attendance"), default=Attendance.ATTENDED
    )
    education_minutes: Mapped[int] = mapped_column(Integer, default=0)
    body_minutes: Mapped[int] = mapped_column(Integer, default=0)
    cognitive_minutes: Mapped[int] = mapped_column(Integer, default=0)
    activating_minutes: Mapped[int] = mapped_column(Integer, default=0)
    education_note: Mapped[str] = mapped_column(Text, default="")
    body_note: Mapped[str] = mapped_column(Text, default="")
    cognitive_note: Mapped[str] = mapped_column(Text, default="")
    activating_note: Mapped[str] = mapped_column(Text, default="")
    # SCEBS exploration: all five are prompted, since the non-somatic ones get forgotten.
    scebs_somatic: Mapped[str] = mapped_column(Text, default="")
    scebs_cognitive: Mapped[str] = mapped_column(Text, default="")
    scebs_emotional: Mapped[str] = mapped_column(Text, default="")
    scebs_behavioural: Mapped[str] = mapped_column(Text, default="")
    scebs_social: Mapped[str] = mapped_column(Text, default="")
    symptom_course: Mapped[str] = mapped_column(Text, default="")
    home_exercises: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    episode: Mapped[TreatmentEpisode] = relationship(back_populates="sessions")
    appointment: Mapped[Appointment | None] = relationship(back_populates="session")
    techniques: Mapped[list[SessionTechnique]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        order_by="(SessionTechnique.element, SessionTechnique.technique)",
    )
    # The check-in that counts: a voided one (issue 13) stays in the table, out of this
    # relationship, so the patient can be asked again; every check-in is in `checkins`.
    alliance: Mapped[AllianceCheckin | None] = relationship(
        primaryjoin="and_(TherapySession.id == AllianceCheckin.session_id, "
        "AllianceCheckin.voided_at.is_(None))",
        cascade="all, delete-orphan",
        uselist=False,
    )
    checkins: Mapped[list[AllianceCheckin]] = relationship(
        viewonly=True, order_by="AllianceCheckin.id"
    )

    def minutes_for(self, element: ProtocolElement) -> int:
        """Minutes spent on one protocol element."""
        return int(getattr(self, ELEMENT_MINUTE_COLUMNS[element]))

    @property
    def attended(self) -> bool:
        """Only attended sessions count toward the protocol's 6-12."""
        return self.attendance == Attendance.ATTENDED

    def __repr__(self) -> str:
        return f"<TherapySession {self.id} #{self.number}>"


class SessionTechnique(db.Model):  # type: ignore[name-defined,misc]
    """A technique ticked under one protocol element in a session."""

    __tablename__ = "session_technique"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("therapy_session.id", ondelete="CASCADE"), primary_key=True
    )
    element: Mapped[ProtocolElement] = mapped_column(
        checked_enum(ProtocolElement, "element"), primary_key=True
    )
    # A code from the technique vocabulary in services (the list may grow without a migration).
    technique: Mapped[str] = mapped_column(String(40), primary_key=True)

    session: Mapped[TherapySession] = relationship(back_populates="techniques")

    def __repr__(self) -> str:
        return f"<SessionTechnique {self.session_id} {self.element}>"


class AllianceCheckin(Voidable, db.Model):  # type: ignore[name-defined,misc]
    """The practice's own three-question alliance check-in (not a validated instrument)."""

    __tablename__ = "alliance_checkin"
    __table_args__ = (
        CheckConstraint("bond BETWEEN 0 AND 10", name="bond_range"),
        CheckConstraint("goals BETWEEN 0 AND 10", name="goals_range"),
        CheckConstraint("tasks BETWEEN 0 AND 10", name="tasks_range"),
        *void_checks(),
        # One counted check-in per session: a voided one leaves room for the patient's new one.
        Index(
            "uq_alliance_checkin_session_counted",
            "session_id",
            unique=True,
            sqlite_where=text("voided_at IS NULL"),
            postgresql_where=text("voided_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Indexed on its own too: a session's check-ins are joined to it by this column alone, and
    # the partial index above serves only the counted ones.
    session_id: Mapped[int] = mapped_column(
        ForeignKey("therapy_session.id", ondelete="CASCADE"), index=True
    )
    # "I felt heard and respected"
    bond: Mapped[int] = mapped_column(Integer)
    # "We worked on what I wanted"
    goals: Mapped[int] = mapped_column(Integer)
    # "The approach fits me"
    tasks: Mapped[int] = mapped_column(Integer)
    left_unsaid: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[AnswerSource] = mapped_column(
        checked_enum(AnswerSource, "source"),
        default=AnswerSource.THERAPIST_PAPER,
        server_default=AnswerSource.THERAPIST_PAPER.value,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[TherapySession] = relationship(viewonly=True)

    @property
    def lowest(self) -> int:
        """The lowest of the three ratings; any rating of 5 or less is flagged."""
        return min(self.bond, self.goals, self.tasks)

    def __repr__(self) -> str:
        return f"<AllianceCheckin {self.id}>"
