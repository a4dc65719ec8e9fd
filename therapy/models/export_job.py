"""Practice-wide exports run in the background: what was asked, how far it got, its file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from therapy.extensions import db
from therapy.models.enums import ExportKind, ExportStatus
from therapy.models.types import UTCDateTime, checked_enum, utcnow


class ExportJob(db.Model):  # type: ignore[name-defined,misc]
    """One run of a practice export (FHIR NDJSON or the research data set).

    The file is written under the instance folder by a process of its own and named by a
    random token, never by anything about a patient; `done` out of `total` patients is the
    progress the page shows while it runs.
    """

    __tablename__ = "export_job"
    __table_args__ = (
        CheckConstraint("done >= 0 AND total >= 0 AND done <= total", name="progress_range"),
        CheckConstraint(
            "status <> 'done' OR (file_name <> '' AND finished_at IS NOT NULL)",
            name="done_has_file",
        ),
        Index("ix_export_job_kind_created", "kind", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[ExportKind] = mapped_column(checked_enum(ExportKind, "kind"))
    status: Mapped[ExportStatus] = mapped_column(
        checked_enum(ExportStatus, "status"), default=ExportStatus.QUEUED
    )
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Written with every progress step: a running job whose heartbeat stopped has died.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str] = mapped_column(String(80), default="")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    # What went wrong, for the administrator (never patient data).
    error: Mapped[str] = mapped_column(String(500), default="")

    def __repr__(self) -> str:
        return f"<ExportJob {self.id} {self.kind} {self.status}>"
