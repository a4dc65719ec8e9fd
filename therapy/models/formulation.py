"""The 4P x SCEBS explanation model, built up entry by entry and keeping its history."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy.extensions import db
from therapy.models.enums import FormulationFactor, ScebsDimension
from therapy.models.types import UTCDateTime, checked_enum, utcnow

if TYPE_CHECKING:
    from therapy.models.episode import TreatmentEpisode


class FormulationEntry(db.Model):  # type: ignore[name-defined,misc]
    """One factor in a grid cell (SCEBS dimension x P), noted in a given session."""

    __tablename__ = "formulation_entry"
    __table_args__ = (
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_formulation_entry_episode_cell", "episode_id", "dimension", "factor"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("treatment_episode.id", ondelete="CASCADE"))
    dimension: Mapped[ScebsDimension] = mapped_column(checked_enum(ScebsDimension, "dimension"))
    factor: Mapped[FormulationFactor] = mapped_column(checked_enum(FormulationFactor, "factor"))
    text: Mapped[str] = mapped_column(Text)
    # The session in which the factor came up, when it came up in one.
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("therapy_session.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Withdrawn entries stay (with their history) but leave the grid.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    episode: Mapped[TreatmentEpisode] = relationship(back_populates="formulation_entries")
    revisions: Mapped[list[FormulationRevision]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="FormulationRevision.version"
    )

    def __repr__(self) -> str:
        return f"<FormulationEntry {self.id} {self.dimension}/{self.factor}>"


class FormulationRevision(db.Model):  # type: ignore[name-defined,misc]
    """A text an entry had before it was edited: the grid's history."""

    __tablename__ = "formulation_revision"
    __table_args__ = (
        CheckConstraint("version >= 1", name="version_positive"),
        Index("uq_formulation_revision_entry_version", "entry_id", "version", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("formulation_entry.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("therapy_session.id", ondelete="SET NULL"), nullable=True, index=True
    )
    edited_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry: Mapped[FormulationEntry] = relationship(back_populates="revisions")

    def __repr__(self) -> str:
        return f"<FormulationRevision {self.id} v{self.version}>"
