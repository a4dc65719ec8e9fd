"""A PHQ-15 administration: the raw item answers and the score the server computed."""

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
    SmallInteger,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy.extensions import db
from therapy.models.enums import AnswerSource, Phq15Rule, Phq15Timepoint
from therapy.models.types import UTCDateTime, checked_enum, utcnow
from therapy.models.voiding import Voidable, void_checks

if TYPE_CHECKING:
    from therapy.models.episode import TreatmentEpisode

ITEM_COUNT = 15
ITEM_COLUMNS = tuple(f"item_{number:02d}" for number in range(1, ITEM_COUNT + 1))


def _item_check(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} IS NULL OR {column} BETWEEN 0 AND 2", name=f"{column}_range")


class Phq15Administration(Voidable, db.Model):  # type: ignore[name-defined,misc]
    """One completed PHQ-15 questionnaire.

    Each item column holds 0, 1 or 2, or NULL when the item was left unanswered; item 4 has
    its own not-applicable flag, because N/A and missing are scored differently.
    """

    __tablename__ = "phq15_administration"
    __table_args__ = (
        *(_item_check(column) for column in ITEM_COLUMNS),
        CheckConstraint(
            "NOT (item_04_not_applicable AND item_04 IS NOT NULL)",
            name="item_04_na_has_no_answer",
        ),
        CheckConstraint("total IS NULL OR total BETWEEN 0 AND 30", name="total_range"),
        CheckConstraint("(total IS NULL) = (rule = 'incomplete')", name="total_matches_rule"),
        CheckConstraint(
            "timepoint <> 'session' OR session_id IS NOT NULL", name="session_timepoint_has_session"
        ),
        CheckConstraint("administered_on >= '1900-01-01'", name="administered_on_after_1900"),
        Index("ix_phq15_administration_episode", "episode_id", "administered_on"),
        # One counted PHQ-15 per timepoint and day: a voided one leaves room for its retake.
        Index(
            "uq_phq15_administration_episode_timepoint_day",
            "episode_id",
            "timepoint",
            "administered_on",
            unique=True,
            sqlite_where=text("voided_at IS NULL"),
            postgresql_where=text("voided_at IS NULL"),
        ),
        *void_checks(),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("treatment_episode.id", ondelete="CASCADE"))
    timepoint: Mapped[Phq15Timepoint] = mapped_column(checked_enum(Phq15Timepoint, "timepoint"))
    # For timepoint "session": the session at which it was filled in.
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("therapy_session.id", ondelete="SET NULL"), nullable=True, index=True
    )
    timepoint_note: Mapped[str] = mapped_column(String(120), default="")
    administered_on: Mapped[date] = mapped_column(Date)
    item_01: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    item_02: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    item_03: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    item_04: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    item_05: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    item_06: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    item_07: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    item_08: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    item_09: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    item_10: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    item_11: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    item_12: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    item_13: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    item_14: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    item_15: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    item_04_not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    # Computed by the scoring service when saved; the raw answers above stay the source.
    total: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    rule: Mapped[Phq15Rule] = mapped_column(checked_enum(Phq15Rule, "rule"))
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    # Who answered (DOMAIN.md §9): the therapist from paper, or the patient on a device or link.
    source: Mapped[AnswerSource] = mapped_column(
        checked_enum(AnswerSource, "source"),
        default=AnswerSource.THERAPIST_PAPER,
        server_default=AnswerSource.THERAPIST_PAPER.value,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A patient's own answers are never changed; the therapist may void them with a reason
    # (issue 13): the voided_at, voided_by_id and void_reason columns of Voidable.

    episode: Mapped[TreatmentEpisode] = relationship(back_populates="phq15_administrations")

    def answers(self) -> list[int | str | None]:
        """The fifteen answers in item order, with "na" for a not-applicable item 4."""
        values: list[int | str | None] = [getattr(self, column) for column in ITEM_COLUMNS]
        if self.item_04_not_applicable:
            values[3] = "na"
        return values

    def __repr__(self) -> str:
        return f"<Phq15Administration {self.id} {self.timepoint}>"
