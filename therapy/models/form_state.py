"""What keeps typed text and double clicks safe: drafts of open forms, and used form keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from therapy.extensions import db
from therapy.models.types import UTCDateTime, utcnow

DRAFT_PATH_LENGTH = 300
# A draft holds what one form can hold; the request limit is set above this.
DRAFT_MAX_CHARS = 1_000_000


class FormDraft(db.Model):  # type: ignore[name-defined,misc]
    """The fields of a form as last typed, kept on the server until the form is saved.

    One per account and form address (``/patients/3/episodes/5/sessions/new``). The fields are
    stored as the browser sent them (JSON of name -> list of values), so a restored draft
    fills the form exactly; the real form validates them when it is saved. A draft that
    belongs to a patient is patient data: its patient_id makes every change audited.
    """

    __tablename__ = "form_draft"
    __table_args__ = (
        UniqueConstraint("user_id", "path"),
        CheckConstraint(f"length(fields) <= {DRAFT_MAX_CHARS}", name="fields_size"),
        Index("ix_form_draft_patient", "patient_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    patient_id: Mapped[int | None] = mapped_column(
        ForeignKey("patient.id", ondelete="CASCADE"), nullable=True
    )
    path: Mapped[str] = mapped_column(String(DRAFT_PATH_LENGTH))
    fields: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<FormDraft {self.id} user={self.user_id}>"


class FormSubmission(db.Model):  # type: ignore[name-defined,misc]
    """A form key that has been used: the second post of the same form saves nothing.

    Every rendered form carries a random key. The first post that saves claims it in the
    same transaction as the save; an identical post (a double click, a resent request)
    finds the key taken and is sent where the first one went.
    """

    __tablename__ = "form_submission"
    __table_args__ = (
        UniqueConstraint("user_id", "form_key"),
        Index("ix_form_submission_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    form_key: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(DRAFT_PATH_LENGTH))
    result_url: Mapped[str] = mapped_column(String(DRAFT_PATH_LENGTH), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<FormSubmission {self.id} user={self.user_id}>"
