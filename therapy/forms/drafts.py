"""Server-side drafts of open forms: kept while typing, offered on reopening, gone once saved.

A draft is what the browser would have posted, stored as JSON (field name -> list of values),
so restoring it fills the form exactly as a post would. The form validates it when it is
finally saved; a draft itself is never part of the record. Operations flush, never commit.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from therapy.extensions import db
from therapy.models import FormDraft
from therapy.models.form_state import DRAFT_MAX_CHARS, DRAFT_PATH_LENGTH
from therapy.models.types import utcnow

# A draft never saved is patient data nobody needs after this long (the form is offered it
# until then); it is removed at the next login of anyone.
KEEP_DRAFTS = timedelta(days=30)
# Fields that belong to one rendering of the form (and its button), never to what was typed.
NOT_DRAFTED = frozenset({"csrf_token", "form_key", "_draft_path", "submit"})
# PostgreSQL refuses NUL in text; the form cleans the rest when the draft is saved for real.
_NUL = re.compile("\x00")


class DraftTooLarge(ValueError):
    """The fields are more than one form can hold."""


@dataclass(frozen=True)
class Draft:
    """A stored draft as a form can use it."""

    path: str
    fields: MultiDict[str, str]
    saved_at: datetime


def draft_fields(posted: MultiDict[str, str]) -> dict[str, list[str]]:
    """The typed fields of a post, without tokens and without NUL characters."""
    return {
        name: [_NUL.sub("", value) for value in posted.getlist(name)]
        for name in posted
        if name not in NOT_DRAFTED and len(name) <= 200
    }


def save_draft(
    user_id: int, path: str, fields: dict[str, list[str]], patient_id: int | None
) -> FormDraft:
    """Create or replace the account's draft of the form at `path`."""
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    if len(text) > DRAFT_MAX_CHARS or len(path) > DRAFT_PATH_LENGTH:
        raise DraftTooLarge(path)
    existing = _find(user_id, path)
    if existing is None:
        try:
            with db.session.begin_nested():
                existing = FormDraft(user_id=user_id, path=path, patient_id=patient_id, fields=text)
                db.session.add(existing)
            return existing
        except IntegrityError:
            # Another request of the same account made it a moment ago: update that one.
            existing = _find(user_id, path)
            if existing is None:
                raise
    existing.fields = text
    existing.patient_id = patient_id
    existing.saved_at = utcnow()
    db.session.flush()
    return existing


def _find(user_id: int, path: str) -> FormDraft | None:
    return db.session.scalar(
        select(FormDraft).where(FormDraft.user_id == user_id, FormDraft.path == path)
    )


def find_draft(user_id: int, path: str) -> Draft | None:
    """The account's draft of the form at `path`, if there is one."""
    row = _find(user_id, path)
    if row is None:
        return None
    stored = json.loads(row.fields)
    fields: MultiDict[str, str] = MultiDict()
    for name, values in stored.items():
        for value in values if isinstance(values, list) else [values]:
            fields.add(str(name), str(value))
    return Draft(path=row.path, fields=fields, saved_at=row.saved_at)


def draft_saved_at(user_id: int, path: str) -> datetime | None:
    """When the account's draft of this form was saved (one small query, no fields loaded)."""
    return db.session.scalar(
        select(FormDraft.saved_at).where(FormDraft.user_id == user_id, FormDraft.path == path)
    )


def discard_draft(user_id: int, path: str) -> None:
    """Remove the account's draft of this form (saving the form does this too)."""
    row = _find(user_id, path)
    if row is not None:
        db.session.delete(row)
        db.session.flush()


def purge_old_drafts(now: datetime | None = None) -> None:
    """Remove drafts kept longer than KEEP_DRAFTS (a bulk delete: audited like any delete)."""
    cutoff = (now or utcnow()) - KEEP_DRAFTS
    db.session.execute(delete(FormDraft).where(FormDraft.saved_at < cutoff))
