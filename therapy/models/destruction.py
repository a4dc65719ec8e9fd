"""A request to destroy a patient's record (WGBO art. 7:455), kept after the record is gone.

The row is the practice's register of the request: when it came, who asked (a kind of
person, never a name), the therapist's decision with the legal exceptions considered and the
reason, and the two people whose steps carried it out. It names the patient only by the
record's internal id, which identifies nobody once the record is destroyed; it has no foreign
key to `patient`, so it outlives the record. The database refuses to delete it, and refuses
any change once the destruction was carried out (migration i17_record_destruction).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from therapy.extensions import db
from therapy.models.enums import DestructionOrigin, DestructionRequester, DestructionStatus
from therapy.models.types import UTCDateTime, checked_enum, utcnow

# Requests that still wait for a step; a patient has at most one of them at a time.
OPEN_STATUSES = (DestructionStatus.AWAITING_DECISION, DestructionStatus.AWAITING_CONFIRMATION)
_OPEN_SQL = "status IN ('awaiting_decision', 'awaiting_confirmation')"
_DECIDED_SQL = (
    "decided_by_id IS NOT NULL AND decided_at IS NOT NULL AND reason <> '' "
    "AND other_interest IS NOT NULL AND legal_duty IS NOT NULL"
)


class DestructionRequest(db.Model):  # type: ignore[name-defined,misc]
    """One request to destroy one patient's record, from its arrival to its outcome."""

    __tablename__ = "destruction_request"
    __table_args__ = (
        CheckConstraint("requested_on >= '1900-01-01'", name="requested_on_after_1900"),
        CheckConstraint(
            "origin <> 'patient_request' OR requested_by IS NOT NULL",
            name="patient_request_names_requester",
        ),
        CheckConstraint(
            f"status NOT IN ('refused', 'awaiting_confirmation', 'carrying_out', "
            f"'carried_out') OR ({_DECIDED_SQL})",
            name="decision_recorded",
        ),
        # Destroyed only when the therapist found no exception, and by two different people.
        CheckConstraint(
            "status NOT IN ('carrying_out', 'carried_out') OR (NOT other_interest AND NOT "
            "legal_duty AND confirmed_by_id IS NOT NULL AND confirmed_at IS NOT NULL "
            "AND confirmed_by_id <> opened_by_id)",
            name="destroyed_by_two_people_without_exception",
        ),
        CheckConstraint(
            "(status = 'carried_out') = (carried_out_at IS NOT NULL)",
            name="carried_out_has_time",
        ),
        CheckConstraint(
            "(status = 'withdrawn') = (withdrawn_by_id IS NOT NULL AND withdrawn_at IS NOT NULL)",
            name="withdrawn_has_who_and_when",
        ),
        Index("ix_destruction_request_patient", "patient_id"),
        Index(
            "uq_destruction_request_open_per_patient",
            "patient_id",
            unique=True,
            sqlite_where=text(_OPEN_SQL),
            postgresql_where=text(_OPEN_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No foreign key: the register outlives the record it was about.
    patient_id: Mapped[int] = mapped_column(Integer)
    # The patient's therapist, who decides (WGBO: the care provider).
    therapist_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    origin: Mapped[DestructionOrigin] = mapped_column(checked_enum(DestructionOrigin, "origin"))
    requested_on: Mapped[date] = mapped_column(Date)
    requested_by: Mapped[DestructionRequester | None] = mapped_column(
        checked_enum(DestructionRequester, "requested_by"), nullable=True
    )
    status: Mapped[DestructionStatus] = mapped_column(checked_enum(DestructionStatus, "status"))
    # The exceptions of art. 7:455 lid 2, each answered by the therapist: keeping the record
    # is of considerable interest to someone other than the patient; a law requires keeping it.
    other_interest: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    legal_duty: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # The therapist's reason for the decision; kept after destruction (the form says so).
    reason: Mapped[str] = mapped_column(Text, default="")
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    carried_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def is_open(self) -> bool:
        """True while the request waits for the therapist's decision or the second person."""
        return self.status in OPEN_STATUSES

    def __repr__(self) -> str:
        return f"<DestructionRequest {self.id} {self.status}>"
