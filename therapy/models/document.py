"""Treatment reports and GP letters: drafts, and final versions kept byte for byte."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy.extensions import db
from therapy.models.enums import DocumentKind, DocumentStatus
from therapy.models.types import UTCDateTime, checked_enum, utcnow

if TYPE_CHECKING:
    from therapy.models.episode import TreatmentEpisode


class Document(db.Model):  # type: ignore[name-defined,misc]
    """One version of a document of an episode.

    A draft is regenerated from the data whenever it is shown. Finalising stores the exact
    PDF, its SHA-256 and the data snapshot it was made from; a correction is a new version
    that points to the one it replaces.
    """

    __tablename__ = "document"
    __table_args__ = (
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(
            "(status = 'final') = (pdf IS NOT NULL AND sha256 IS NOT NULL "
            "AND finalised_at IS NOT NULL AND snapshot IS NOT NULL)",
            name="final_has_pdf_hash_snapshot",
        ),
        CheckConstraint("sha256 IS NULL OR length(sha256) = 64", name="sha256_length"),
        Index("uq_document_episode_kind_version", "episode_id", "kind", "version", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("treatment_episode.id", ondelete="CASCADE"))
    kind: Mapped[DocumentKind] = mapped_column(checked_enum(DocumentKind, "kind"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[DocumentStatus] = mapped_column(
        checked_enum(DocumentStatus, "status"), default=DocumentStatus.DRAFT
    )
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id"), nullable=True, unique=True
    )
    # The editable free-text parts (for a letter: summary, advice to the GP, ...).
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    episode: Mapped[TreatmentEpisode] = relationship(back_populates="documents")
    supersedes: Mapped[Document | None] = relationship(remote_side=[id])

    @property
    def is_final(self) -> bool:
        """Final documents are medical records and never change."""
        return self.status == DocumentStatus.FINAL

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.kind} v{self.version} {self.status}>"
