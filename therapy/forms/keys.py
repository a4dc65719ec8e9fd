"""One save per rendered form: a double click or a resent post creates nothing twice.

Each rendered form carries a random key. The post that saves claims the key in its own
transaction, so the claim and the save commit or vanish together. A second post with the
same key finds it claimed (on PostgreSQL it waits for the first to commit; on SQLite the
write lock makes them take turns) and is told where the first one went instead.
Operations flush, never commit.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from therapy.extensions import db
from therapy.models import FormSubmission
from therapy.models.form_state import DRAFT_PATH_LENGTH
from therapy.models.types import utcnow

# Long enough for a form left open over a weekend and resent with the browser's Back button.
KEEP_KEYS = timedelta(days=7)
_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class AlreadySaved:
    """The key was used by an earlier post; `result_url` is where that post led ('' = unknown)."""

    result_url: str


def new_form_key() -> str:
    """A fresh random key for one rendered form."""
    return secrets.token_urlsafe(24)


def is_form_key(value: object) -> bool:
    """True for a value shaped like a key this app hands out."""
    return isinstance(value, str) and bool(_KEY.match(value))


def earlier_submission(user_id: int, key: str) -> AlreadySaved | None:
    """Where an earlier save with this key led, if the key was used."""
    found = db.session.scalar(
        select(FormSubmission.result_url).where(
            FormSubmission.user_id == user_id, FormSubmission.form_key == key
        )
    )
    return None if found is None else AlreadySaved(found)


def claim_form_key(user_id: int, key: str, path: str) -> AlreadySaved | None:
    """Claim the key for this post, or say where the earlier post with it went.

    The claim is tried first (one INSERT, the common case); the unique key refuses it when
    an earlier post, or a concurrent one that committed first, holds it already."""
    try:
        with db.session.begin_nested():
            db.session.add(
                FormSubmission(user_id=user_id, form_key=key, path=path[:DRAFT_PATH_LENGTH])
            )
    except IntegrityError:
        return earlier_submission(user_id, key) or AlreadySaved("")
    return None


def record_result(user_id: int, key: str, result_url: str) -> None:
    """Remember where the save with this key led, for any later post of the same form."""
    db.session.execute(
        update(FormSubmission)
        .where(FormSubmission.user_id == user_id, FormSubmission.form_key == key)
        .values(result_url=result_url[:DRAFT_PATH_LENGTH])
    )


def release_form_key(user_id: int, key: str) -> None:
    """Free a key whose post did not save the form, so the form can still be saved with it."""
    db.session.execute(
        delete(FormSubmission).where(
            FormSubmission.user_id == user_id, FormSubmission.form_key == key
        )
    )


def purge_old_keys(now: datetime | None = None) -> None:
    """Forget keys older than any form could still be open (keeps the table small)."""
    cutoff = (now or utcnow()) - KEEP_KEYS
    db.session.execute(delete(FormSubmission).where(FormSubmission.created_at < cutoff))
