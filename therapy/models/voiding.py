"""A patient's own answers are never changed, but the therapist may void them (issue 13).

The PHQ-15, the alliance check-in and the PSFS rating share the same three columns: who
voided the row, when, and why. A voided row stays in the record as the patient gave it, is
shown as voided with its reason, and counts in no score, alert, badge, document or export.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from therapy.models.types import UTCDateTime


def void_checks() -> tuple[CheckConstraint, CheckConstraint]:
    """The CHECKs of a voidable table: a void says who, when and why."""
    return (
        CheckConstraint(
            "(voided_at IS NULL) = (voided_by_id IS NULL)", name="void_has_who_and_when"
        ),
        CheckConstraint("voided_at IS NULL OR void_reason <> ''", name="void_has_reason"),
    )


class Voidable:
    """The void columns of a row of the patient's own answers."""

    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), nullable=True)
    void_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    @property
    def is_voided(self) -> bool:
        """True once the therapist voided it: kept in the record, counted nowhere."""
        return self.voided_at is not None
