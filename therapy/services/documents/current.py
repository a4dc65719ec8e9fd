"""A version's output as it stands: a draft from the live record, a final one as stored."""

from __future__ import annotations

from therapy.models import Document, TreatmentEpisode
from therapy.models.enums import DocumentKind
from therapy.services.documents.gather import gather_episode, practice_row
from therapy.services.documents.letter import letter_from_content
from therapy.services.documents.produce import document_language, document_meta, practice_today
from therapy.services.documents.snapshot import DocumentMeta, EpisodeRecord, LetterContent


def draft_output(
    document: Document, episode: TreatmentEpisode
) -> tuple[DocumentMeta, EpisodeRecord, LetterContent | None]:
    """What a draft shows today, gathered afresh (episode loaded with EPISODE_LOAD_OPTIONS)."""
    if document.is_final:
        raise ValueError("a final document is never regenerated")
    today = practice_today()
    with document_language():  # the labels gathered are the document's words
        record = gather_episode(episode, practice_row(), today)
    letter = (
        letter_from_content(document.content) if document.kind == DocumentKind.GP_LETTER else None
    )
    return document_meta(document, today), record, letter


def stored_letter_text(document: Document) -> str:
    """The plain text kept with a final letter when it was finalised."""
    return str((document.snapshot or {}).get("plain_text", ""))
