"""A planned session of an episode: its day and time, moved or cancelled with a reason."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy.extensions import db
from therapy.models.enums import AppointmentStatus
from therapy.models.types import UTCDateTime, checked_enum, utcnow

if TYPE_CHECKING:
    from therapy.models.therapy_session import TherapySession


class Appointment(db.Model):  # type: ignore[name-defined,misc]
    """One planned session; the session logged for it is a TherapySession that points to it.

    The day and time are the practice's local ones (a clinic's diary, not an instant). A
    move keeps the day it was moved from and the reason; a cancellation keeps the reason.
    """

    __tablename__ = "appointment"
    __table_args__ = (
        CheckConstraint("planned_on >= '1900-01-01'", name="planned_on_after_1900"),
        CheckConstraint("status <> 'cancelled' OR reason <> ''", name="cancelled_with_reason"),
        CheckConstraint("moved_from IS NULL OR reason <> ''", name="moved_with_reason"),
        Index("ix_appointment_episode_day", "episode_id", "planned_on"),
        Index("ix_appointment_day", "planned_on", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("treatment_episode.id", ondelete="CASCADE"))
    planned_on: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[time] = mapped_column(Time)
    status: Mapped[AppointmentStatus] = mapped_column(
        checked_enum(AppointmentStatus, "appointment_status"), default=AppointmentStatus.PLANNED
    )
    moved_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The session logged for it; the database empties the link if the appointment goes.
    session: Mapped[TherapySession | None] = relationship(
        back_populates="appointment", uselist=False, passive_deletes=True
    )

    @property
    def is_planned(self) -> bool:
        """Not cancelled (it may have been logged already: see is_to_do)."""
        return self.status == AppointmentStatus.PLANNED

    @property
    def is_logged(self) -> bool:
        """A session was logged for it."""
        return self.session is not None

    @property
    def is_to_do(self) -> bool:
        """Planned and not logged yet: it can still be logged, moved or cancelled."""
        return self.is_planned and not self.is_logged

    def __repr__(self) -> str:
        return f"<Appointment {self.id} {self.status}>"
