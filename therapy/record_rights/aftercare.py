"""What follows a committed destruction, and the words for a refused step (shared with admin)."""

from __future__ import annotations

from therapy.database.engine import truncate_write_ahead_log
from therapy.exports.jobs import export_folder
from therapy.extensions import db
from therapy.i18n.translation import lazy_gettext as _l
from therapy.services.caseload.cache import forget_kept_pages
from therapy.services.records.destruction import Refusal

REFUSAL_MESSAGES = {
    Refusal.ALREADY_OPEN: _l("This record already has a destruction request waiting for a step."),
    Refusal.NOT_OPEN: _l("This request is no longer waiting for this step; nothing was changed."),
    Refusal.EXCEPTION_APPLIES: _l(
        "An exception applies, so the record cannot be destroyed: refuse the request instead."
    ),
    Refusal.NO_REASON: _l("Give the reason for the decision."),
    Refusal.SAME_PERSON: _l(
        "The person who recorded a request cannot also complete it: a second person must."
    ),
    Refusal.NOT_THE_THERAPIST: _l("Only the patient's own therapist decides about the record."),
    Refusal.RECORD_NUMBER: _l(
        "The record number typed is not this record's; nothing was destroyed."
    ),
}


def remove_practice_export_files() -> None:
    """Delete every practice export file kept for download: each one made before a
    destruction holds the destroyed record (the administrator can run the export again)."""
    for path in export_folder().iterdir():
        if path.is_file():
            path.unlink(missing_ok=True)


def after_destruction() -> None:
    """Once a destruction is committed: the practice export files go, this worker forgets its
    kept caseload pages, and SQLite's write-ahead log is emptied of the removed rows."""
    remove_practice_export_files()
    forget_kept_pages()
    truncate_write_ahead_log(db.engine)
