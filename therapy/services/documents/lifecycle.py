"""Document lifecycle: drafts made from the live data, final versions kept byte for byte.

A draft is regenerated from the record every time it is shown. Finalising renders the PDF
once and stores its bytes, SHA-256, author, time and the snapshot it was made from; after
that nothing about it changes. A correction is a new version pointing to the one it replaces.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from therapy.extensions import db
from therapy.models import Document, Practice, TreatmentEpisode
from therapy.models.enums import DocumentKind, DocumentStatus
from therapy.models.types import utcnow
from therapy.services.documents.consent import check_consent
from therapy.services.documents.errors import (
    DraftExistsError,
    LetterIncompleteError,
    NotADraftError,
    StaleDocumentError,
)
from therapy.services.documents.gather import gather_episode
from therapy.services.documents.letter import content_fingerprint, letter_from_content
from therapy.services.documents.produce import (
    document_language,
    document_meta,
    document_pdf,
    letter_text,
    local_date,
)
from therapy.services.documents.snapshot import to_jsonable

SNAPSHOT_FORMAT = 1


def episode_documents(episode_id: int) -> list[Document]:
    """Every version of every document of an episode, oldest first (PDF bytes not loaded)."""
    return list(
        db.session.scalars(
            select(Document)
            .where(Document.episode_id == episode_id)
            .order_by(Document.kind, Document.version)
        )
    )


def open_draft(episode_id: int, kind: DocumentKind) -> Document | None:
    """The draft of this kind being worked on, if any."""
    return db.session.scalar(
        select(Document).where(
            Document.episode_id == episode_id,
            Document.kind == kind,
            Document.status == DocumentStatus.DRAFT,
        )
    )


def latest_final(episode_id: int, kind: DocumentKind) -> Document | None:
    """The newest final version of this kind, which a correction replaces."""
    return db.session.scalar(
        select(Document)
        .where(
            Document.episode_id == episode_id,
            Document.kind == kind,
            Document.status == DocumentStatus.FINAL,
        )
        .order_by(Document.version.desc())
        .limit(1)
    )


def new_version(
    episode: TreatmentEpisode, kind: DocumentKind, *, author_id: int, content: dict[str, Any]
) -> Document:
    """Open a draft: the first version, or a correction of the latest final one."""
    check_consent(episode, kind)
    if open_draft(episode.id, kind) is not None:
        raise DraftExistsError(f"episode {episode.id} already has a {kind} draft")
    highest = db.session.scalar(
        select(func.max(Document.version)).where(
            Document.episode_id == episode.id, Document.kind == kind
        )
    )
    replaced = latest_final(episode.id, kind)
    document = Document(
        episode_id=episode.id,
        kind=kind,
        version=(highest or 0) + 1,
        status=DocumentStatus.DRAFT,
        supersedes_id=replaced.id if replaced else None,
        content=content,
        author_id=author_id,
    )
    try:
        # The unique version (and unique supersedes_id) settle a race between two clicks.
        with db.session.begin_nested():
            db.session.add(document)
    except IntegrityError as error:
        raise DraftExistsError(f"episode {episode.id} already has a {kind} draft") from error
    return document


def _lock_draft(document: Document, expected_fingerprint: str) -> None:
    """Re-read the draft under a row lock and check nobody changed or finalised it since."""
    db.session.refresh(document, with_for_update=True)
    if document.is_final:
        raise NotADraftError(f"document {document.id} is final")
    if content_fingerprint(document.content) != expected_fingerprint:
        raise StaleDocumentError(f"document {document.id} changed since it was opened")


def save_content(document: Document, content: dict[str, Any], expected_fingerprint: str) -> None:
    """Store the edited free-text parts of a draft (compare-and-swap on their hash)."""
    _lock_draft(document, expected_fingerprint)
    document.content = content
    db.session.flush()


def finalise(
    document: Document,
    episode: TreatmentEpisode,
    practice: Practice | None,
    *,
    user_id: int,
    expected_fingerprint: str,
    when: datetime | None = None,
) -> Document:
    """Render the PDF once and keep it with its hash, author, time and data snapshot.

    `episode` must be loaded with gather.EPISODE_LOAD_OPTIONS.
    """
    _lock_draft(document, expected_fingerprint)
    check_consent(episode, document.kind)
    letter = (
        letter_from_content(document.content) if document.kind == DocumentKind.GP_LETTER else None
    )
    if letter is not None and letter.agreed_with_patient is None:
        raise LetterIncompleteError("say whether the plan was agreed with the patient")
    when = when or utcnow()
    dated = local_date(when)
    with document_language():
        record = gather_episode(episode, practice, dated)
        meta = document_meta(document, dated, final=True)
    snapshot: dict[str, Any] = {
        "format": SNAPSHOT_FORMAT,
        "meta": to_jsonable(meta),
        "record": to_jsonable(record),
        "letter": to_jsonable(letter),
    }
    if letter is not None:
        snapshot["plain_text"] = letter_text(meta, record, letter)
    pdf = document_pdf(meta, record, letter, snapshot=snapshot)  # PDF/A-3b, snapshot inside
    result = db.session.execute(
        update(Document)
        .where(Document.id == document.id, Document.status == DocumentStatus.DRAFT)
        .values(
            status=DocumentStatus.FINAL,
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            snapshot=snapshot,
            finalised_at=when,
            author_id=user_id,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise NotADraftError(f"document {document.id} was finalised meanwhile")
    db.session.refresh(document)
    return document
