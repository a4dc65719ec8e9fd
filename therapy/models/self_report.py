"""What a patient is asked to answer themselves, how (device or link), and how far they got."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy.extensions import db
from therapy.models.enums import Phq15Timepoint, SelfReportChannel
from therapy.models.types import UTCDateTime, checked_enum, utcnow

if TYPE_CHECKING:
    from therapy.models.episode import TreatmentEpisode


class SelfReportRequest(db.Model):  # type: ignore[name-defined,misc]
    """One set of questionnaires a therapist asked a patient to answer, answered once.

    A link's token is never stored: only its SHA-256 (the token has 256 random bits, so a
    plain hash cannot be reversed by guessing). The answers given so far wait in `draft` (JSON)
    until the patient submits; the submitted answers become ordinary rows with their source.
    """

    __tablename__ = "self_report_request"
    __table_args__ = (
        CheckConstraint(
            "phq15_timepoint IS NOT NULL OR psfs OR checkin_session_id IS NOT NULL",
            name="asks_something",
        ),
        CheckConstraint("(channel = 'link') = (token_hash IS NOT NULL)", name="link_has_token"),
        CheckConstraint("dob_failures >= 0", name="dob_failures_positive"),
        Index("ix_self_report_request_episode", "episode_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("treatment_episode.id", ondelete="CASCADE"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    channel: Mapped[SelfReportChannel] = mapped_column(checked_enum(SelfReportChannel, "channel"))
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    language: Mapped[str] = mapped_column(String(5))
    phq15_timepoint: Mapped[Phq15Timepoint | None] = mapped_column(
        checked_enum(Phq15Timepoint, "phq15_timepoint"), nullable=True
    )
    phq15_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("therapy_session.id", ondelete="SET NULL"), nullable=True, index=True
    )
    psfs: Mapped[bool] = mapped_column(Boolean, default=False)
    checkin_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("therapy_session.id", ondelete="SET NULL"), nullable=True, index=True
    )
    draft: Mapped[str] = mapped_column(Text, default="{}")
    dob_failures: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    phq15_administration_id: Mapped[int | None] = mapped_column(
        ForeignKey("phq15_administration.id", ondelete="SET NULL"), nullable=True, index=True
    )

    episode: Mapped[TreatmentEpisode] = relationship()

    def __repr__(self) -> str:
        return f"<SelfReportRequest {self.id} {self.channel}>"
