"""The NEN 7513 access log: append-only, each row chained to the previous by a hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from therapy.extensions import db
from therapy.models.enums import AuditAction, AuditOutcome
from therapy.models.types import UTCDateTime, checked_enum, utcnow


class AuditEvent(db.Model):  # type: ignore[name-defined,misc]
    """Who did what to which patient's data, when, from where, and whether it succeeded."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_patient_time", "patient_id", "occurred_at"),
        Index("ix_audit_event_user_time", "user_id", "occurred_at"),
        # The newest change to patient data (therapy.services.caseload.cache).
        Index("ix_audit_event_change", "action", "object_type", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[AuditAction] = mapped_column(checked_enum(AuditAction, "action"))
    outcome: Mapped[AuditOutcome] = mapped_column(
        checked_enum(AuditOutcome, "outcome"), default=AuditOutcome.SUCCESS
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    on_behalf_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )
    # No foreign key: the log must outlive a patient record destroyed at the patient's request.
    patient_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    endpoint: Mapped[str] = mapped_column(String(120), default="")
    client_address: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(String(500), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64), unique=True)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action}>"
