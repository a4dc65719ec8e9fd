"""A therapist's own text snippets: add, change and delete them, each change on record."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from therapy.audit.events import note_event
from therapy.extensions import db
from therapy.models import TextSnippet
from therapy.models.enums import AuditAction
from therapy.models.versioning import StaleEdit, claim_version


class SnippetNameTaken(Exception):
    """The therapist already has a snippet by this short name."""


def own_snippets(user_id: int) -> list[TextSnippet]:
    """The therapist's snippets by short name (nobody else's)."""
    return list(
        db.session.scalars(
            select(TextSnippet).where(TextSnippet.user_id == user_id).order_by(TextSnippet.name)
        )
    )


def _check_name(user_id: int, name: str, snippet_id: int | None = None) -> None:
    taken = db.session.scalar(
        select(TextSnippet.id).where(
            TextSnippet.user_id == user_id,
            TextSnippet.name == name,
            TextSnippet.id != (snippet_id or 0),
        )
    )
    if taken is not None:
        raise SnippetNameTaken(name)


def _flush_or_taken(change: Callable[[], None], name: str) -> None:
    """Make the change under a savepoint: a name taken by a save from another tab at the same
    moment (the unique index) is the same clear refusal as one taken before."""
    try:
        with db.session.begin_nested():
            change()
    except IntegrityError as error:
        raise SnippetNameTaken(name) from error


def _on_record(snippet: TextSnippet, what: str) -> None:
    # Neither name nor text goes into the trail: a phrase may mention a patient.
    note_event(
        AuditAction.ACCOUNT,
        patient_id=None,
        object_type="text_snippet",
        object_id=snippet.id,
        detail=f"text snippet {what}",
    )


def add_snippet(user_id: int, name: str, text: str) -> TextSnippet:
    """A new snippet for the therapist; raises SnippetNameTaken for a name they already use."""
    _check_name(user_id, name)
    snippet = TextSnippet(user_id=user_id, name=name, text=text)
    _flush_or_taken(lambda: db.session.add(snippet), name)
    _on_record(snippet, "added")
    return snippet


def change_snippet(
    snippet: TextSnippet, expected_version: int | None, name: str, text: str
) -> bool:
    """Change a snippet opened at `expected_version`; StaleEdit if it changed since.

    Returns False when nothing changed (nothing is written or put on record).
    """
    if expected_version != snippet.version:
        raise StaleEdit()
    if (name, text) == (snippet.name, snippet.text):
        return False
    _check_name(snippet.user_id, name, snippet.id)
    claim_version(TextSnippet, snippet, expected_version)

    def change() -> None:
        snippet.name, snippet.text = name, text

    _flush_or_taken(change, name)
    _on_record(snippet, "changed")
    return True


def delete_snippet(snippet: TextSnippet, expected_version: int | None) -> None:
    """Delete a snippet as it was shown; StaleEdit if it was changed since."""
    if expected_version is None:
        raise StaleEdit()
    result = db.session.execute(
        delete(TextSnippet)
        .where(TextSnippet.id == snippet.id, TextSnippet.version == expected_version)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleEdit()
    _on_record(snippet, "deleted")
    db.session.expunge(snippet)
