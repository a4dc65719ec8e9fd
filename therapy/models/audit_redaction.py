"""An audit detail blanked because it named a patient whose record was destroyed.

The audit row itself stays, with its place in the hash chain; only its `detail` (the text of
a search) is blanked, and this row says which destruction did it and what the row hashes to
now, so `flask audit verify` can still check every other column of it
(therapy.audit.redaction). The database refuses to change or delete these rows, and accepts
new ones only while their destruction is being carried out (migration i17_record_destruction).
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from therapy.extensions import db


class AuditRedaction(db.Model):  # type: ignore[name-defined,misc]
    """One blanked audit detail and the destruction that blanked it."""

    __tablename__ = "audit_redaction"
    __table_args__ = (
        CheckConstraint("length(redacted_hash) = 64", name="redacted_hash_length"),
        Index("ix_audit_redaction_destruction", "destruction_id"),
    )

    # No foreign key to audit_event: a TRUNCATE of the trail must meet the trail's own guard
    # (migration 05138cdbe0a6), not stop earlier at a reference from here.
    event_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    destruction_id: Mapped[int] = mapped_column(ForeignKey("destruction_request.id"))
    # SHA-256 of the previous hash and the row as it reads now (its original hash is kept in
    # the row, and the next row still points to that).
    redacted_hash: Mapped[str] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<AuditRedaction {self.event_id}>"
