"""Voiding a patient's own PHQ-15 (issue 13): never changed, but set aside with a reason.

The answers stay as the patient gave them; the row is marked voided (who, when, why) and
from then on counts in no score, chart, alert, caseload badge, document or export. The
episode keeps showing it, as voided, with its reason. The change is an UPDATE of a clinical
row, so the audit trail records it with the therapist as actor (therapy.audit.changes).
"""

from __future__ import annotations

from datetime import datetime

from therapy.extensions import db
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import Phq15Administration
from therapy.models.enums import AnswerSource

REASON_MAX_LENGTH = 1000


class VoidRefused(ValueError):
    """This PHQ-15 cannot be voided; the message says why, in words for the therapist."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def can_be_voided(administration: Phq15Administration) -> bool:
    """Only the patient's own answers, and only once."""
    return administration.source is not AnswerSource.THERAPIST_PAPER and not (
        administration.is_voided
    )


def void_administration(
    administration: Phq15Administration, reason: str, *, voided_by_id: int, now: datetime
) -> None:
    """Mark a patient-answered PHQ-15 voided with the therapist's reason (flush, no commit)."""
    reason = reason.strip()
    # Read again, locked until commit on PostgreSQL (SQLite's save holds the write lock):
    # a void from a second tab at the same moment is refused, not written over.
    db.session.refresh(administration, with_for_update=True)
    if administration.is_voided:
        raise VoidRefused(_l("This PHQ-15 was already voided; nothing was changed."))
    if administration.source is AnswerSource.THERAPIST_PAPER:
        raise VoidRefused(
            _l(
                "Only answers the patient gave themselves are voided; this one was entered "
                "from paper."
            )
        )
    if not reason:
        raise VoidRefused(_l("Say why these answers should no longer count."))
    if len(reason) > REASON_MAX_LENGTH:
        raise VoidRefused(_l("Keep the reason under %(max)d characters.", max=REASON_MAX_LENGTH))
    administration.voided_at = now
    administration.voided_by_id = voided_by_id
    administration.void_reason = reason
