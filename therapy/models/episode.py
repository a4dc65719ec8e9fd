"""A treatment episode: the referral, the request for help, its PSFS goals and its ending."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy.extensions import db
from therapy.models.enums import (
    AnswerSource,
    EndingReason,
    EpisodeStatus,
    GoalStatus,
    RatingOccasion,
)
from therapy.models.types import UTCDateTime, checked_enum, utcnow
from therapy.models.voiding import Voidable, void_checks

if TYPE_CHECKING:
    from therapy.models.document import Document
    from therapy.models.formulation import FormulationEntry
    from therapy.models.patient import Patient
    from therapy.models.phq15 import Phq15Administration
    from therapy.models.practice import GeneralPractitioner, User
    from therapy.models.therapy_session import TherapySession


class TreatmentEpisode(db.Model):  # type: ignore[name-defined,misc]
    """One treatment period of 6-12 sessions, from referral to closure."""

    __tablename__ = "treatment_episode"
    __table_args__ = (
        CheckConstraint("planned_sessions BETWEEN 1 AND 40", name="planned_sessions_range"),
        CheckConstraint(
            "planned_sessions BETWEEN 6 AND 12 OR planned_sessions_reason <> ''",
            name="planned_sessions_reason_required",
        ),
        CheckConstraint(
            "(status = 'closed') = (closed_on IS NOT NULL AND ending_reason IS NOT NULL)",
            name="closed_has_date_and_reason",
        ),
        CheckConstraint("closed_on IS NULL OR closed_on >= started_on", name="closed_after_start"),
        CheckConstraint("referral_date >= '1900-01-01'", name="referral_date_after_1900"),
        CheckConstraint("started_on >= '1900-01-01'", name="started_on_after_1900"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_treatment_episode_patient", "patient_id", "started_on"),
        Index("ix_treatment_episode_therapist_status", "therapist_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="CASCADE"))
    # The treating therapist, who signs the report (access follows the patient's owner).
    therapist_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[EpisodeStatus] = mapped_column(
        checked_enum(EpisodeStatus, "status"), default=EpisodeStatus.INTAKE
    )
    referral_date: Mapped[date] = mapped_column(Date)
    referred_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("general_practitioner.id"), nullable=True, index=True
    )
    referral_question: Mapped[str] = mapped_column(Text, default="")
    # The hulpvraag, in the patient's own words; returned to throughout treatment.
    request_for_help: Mapped[str] = mapped_column(Text, default="")
    expectations: Mapped[str] = mapped_column(Text, default="")
    planned_sessions: Mapped[int] = mapped_column(Integer, default=9)
    planned_sessions_reason: Mapped[str] = mapped_column(Text, default="")
    started_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    ending_reason: Mapped[EndingReason | None] = mapped_column(
        checked_enum(EndingReason, "ending_reason"), nullable=True
    )
    ending_reason_detail: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    relapse_prevention: Mapped[str] = mapped_column(Text, default="")
    # Advice for the GP (before the split: for both); the patient's advice has its own field.
    advice: Mapped[str] = mapped_column(Text, default="")
    advice_patient: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The patient's consent to inform the GP; no consent, no letter (DOMAIN.md §4).
    gp_consent: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    gp_consent_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    gp_consent_recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    patient: Mapped[Patient] = relationship(back_populates="episodes")
    therapist: Mapped[User] = relationship(foreign_keys=[therapist_id])
    referred_by: Mapped[GeneralPractitioner | None] = relationship()
    goals: Mapped[list[Goal]] = relationship(
        back_populates="episode", cascade="all, delete-orphan", order_by="Goal.position"
    )
    sessions: Mapped[list[TherapySession]] = relationship(
        back_populates="episode", cascade="all, delete-orphan", order_by="TherapySession.number"
    )
    phq15_administrations: Mapped[list[Phq15Administration]] = relationship(
        back_populates="episode",
        cascade="all, delete-orphan",
        order_by="(Phq15Administration.administered_on, Phq15Administration.id)",
    )
    formulation_entries: Mapped[list[FormulationEntry]] = relationship(
        back_populates="episode", cascade="all, delete-orphan", order_by="FormulationEntry.id"
    )
    documents: Mapped[list[Document]] = relationship(
        back_populates="episode", cascade="all, delete-orphan", order_by="Document.id"
    )

    @property
    def counted_phq15(self) -> list[Phq15Administration]:
        """The PHQ-15s that count: every one but those the therapist voided (issue 13)."""
        return [a for a in self.phq15_administrations if a.voided_at is None]

    @property
    def is_closed(self) -> bool:
        """Closed episodes are read-only apart from amendments."""
        return self.status == EpisodeStatus.CLOSED

    def __repr__(self) -> str:
        return f"<TreatmentEpisode {self.id} {self.status}>"


class Goal(db.Model):  # type: ignore[name-defined,misc]
    """A PSFS activity the patient has difficulty with (at most five per episode)."""

    __tablename__ = "goal"
    __table_args__ = (
        CheckConstraint("position BETWEEN 1 AND 5", name="position_range"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("uq_goal_episode_position", "episode_id", "position", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("treatment_episode.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    activity: Mapped[str] = mapped_column(String(200))
    patient_words: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[GoalStatus] = mapped_column(
        checked_enum(GoalStatus, "status"), default=GoalStatus.ACTIVE
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    episode: Mapped[TreatmentEpisode] = relationship(back_populates="goals")
    # The ratings that count: a voided one (issue 13) stays in the table, out of this list;
    # `every_rating` holds them all, voided ones too.
    ratings: Mapped[list[GoalRating]] = relationship(
        primaryjoin="and_(Goal.id == GoalRating.goal_id, GoalRating.voided_at.is_(None))",
        cascade="all, delete-orphan",
        order_by="(GoalRating.rated_on, GoalRating.id)",
    )
    every_rating: Mapped[list[GoalRating]] = relationship(
        viewonly=True, order_by="(GoalRating.rated_on, GoalRating.id)"
    )

    def __repr__(self) -> str:
        return f"<Goal {self.id} {self.status}>"


class GoalRating(Voidable, db.Model):  # type: ignore[name-defined,misc]
    """One 0-10 PSFS rating of a goal: 0 = unable, 10 = as before the problem."""

    __tablename__ = "goal_rating"
    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 10", name="score_range"),
        CheckConstraint("rated_on >= '1900-01-01'", name="rated_on_after_1900"),
        *void_checks(),
        Index("ix_goal_rating_goal", "goal_id", "rated_on"),
        # One counted rating per goal and session: a voided one leaves room for a new one.
        Index(
            "uq_goal_rating_goal_session",
            "goal_id",
            "session_id",
            unique=True,
            sqlite_where=text("voided_at IS NULL"),
            postgresql_where=text("voided_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("therapy_session.id", ondelete="CASCADE"), nullable=True, index=True
    )
    occasion: Mapped[RatingOccasion] = mapped_column(checked_enum(RatingOccasion, "occasion"))
    rated_on: Mapped[date] = mapped_column(Date)
    score: Mapped[int] = mapped_column(Integer)
    source: Mapped[AnswerSource] = mapped_column(
        checked_enum(AnswerSource, "source"),
        default=AnswerSource.THERAPIST_PAPER,
        server_default=AnswerSource.THERAPIST_PAPER.value,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    goal: Mapped[Goal] = relationship(viewonly=True)

    def __repr__(self) -> str:
        return f"<GoalRating {self.id}>"
