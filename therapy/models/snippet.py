"""A therapist's own text snippets: short names for phrases typed in every session."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from therapy.extensions import db
from therapy.models.types import UTCDateTime, utcnow

MAX_NAME_LENGTH = 30
MAX_TEXT_LENGTH = 2000


class TextSnippet(db.Model):  # type: ignore[name-defined,misc]
    """One phrase of one therapist, inserted in a session form by typing its short name."""

    __tablename__ = "text_snippet"
    __table_args__ = (
        UniqueConstraint("user_id", "name"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("name <> ''", name="name_given"),
        CheckConstraint("text <> ''", name="text_given"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The owner: snippets belong to a person, not to the practice or a patient.
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    text: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<TextSnippet {self.id}>"
