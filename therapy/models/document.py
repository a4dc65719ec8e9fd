"""Treatment reports and GP letters: drafts, and final versions kept byte for byte."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    event,
    inspect,
    select,
)
from sqlalchemy.orm import InstanceState, Mapped, Session, mapped_column, relationship

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


# The one column of a final document that may still be set: when it was sent.
MUTABLE_WHEN_FINAL = frozenset({"sent_at"})


class FinalDocumentError(Exception):
    """A final document was about to be changed or deleted; it is a medical record."""


def _was_final(session: Session, document: Document) -> bool:
    """True when the row in the database is final (whatever is set on the object now)."""
    state: InstanceState[Document] = inspect(document)
    if state.key is None:
        return False  # not stored yet
    history = state.attrs.status.history
    loaded = [*(history.unchanged or ()), *(history.deleted or ())]
    if loaded:
        return DocumentStatus.FINAL in loaded
    # The status was expired (after a commit): ask the database, not the new value.
    with session.no_autoflush:
        stored = session.scalar(select(Document.status).where(Document.id == document.id))
    return stored == DocumentStatus.FINAL


def _refuse_changes_to_final_documents(
    session: Session, _context: object, _instances: object
) -> None:
    """Before a flush: refuse any change but sent_at, and any delete, of a final document."""
    for document in session.deleted:
        if isinstance(document, Document) and _was_final(session, document):
            raise FinalDocumentError(
                f"document {document.id} is final and cannot be deleted: it is a medical record"
            )
    for document in session.dirty:
        if not isinstance(document, Document) or not _was_final(session, document):
            continue
        state: InstanceState[Document] = inspect(document)
        changed = sorted(
            attr.key
            for attr in state.attrs
            if attr.key not in MUTABLE_WHEN_FINAL and attr.history.has_changes()
        )
        if changed:
            raise FinalDocumentError(
                f"document {document.id} is final; {', '.join(changed)} cannot be changed. "
                "Make a correction (a new version) instead."
            )


def install_final_document_guard() -> None:
    """Check every session's flushes for changes to final documents (once per process).

    The database refuses them too (migration 6377597071fc); this says so before the SQL.
    """
    if not event.contains(Session, "before_flush", _refuse_changes_to_final_documents):
        event.listen(Session, "before_flush", _refuse_changes_to_final_documents)
