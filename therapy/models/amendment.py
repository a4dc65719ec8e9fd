"""Amendments: notes added to a closed episode, which itself is never changed again."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy.extensions import db
from therapy.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from therapy.models.practice import User


class Amendment(db.Model):  # type: ignore[name-defined,misc]
    """A correction or addition to a closed episode, dated and signed by its author."""

    __tablename__ = "amendment"
    __table_args__ = (
        CheckConstraint("length(text) > 0", name="text_not_empty"),
        Index("ix_amendment_episode_created", "episode_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("treatment_episode.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What the amendment concerns, in the author's words ("Session 4, home exercises").
    target: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)

    author: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Amendment {self.id}>"
