"""Voiding a patient's own answers (issue 13): never changed, but set aside with a reason.

The PHQ-15, the alliance check-in and the PSFS rating are voided alike: the answers stay as
the patient gave them; the row is marked voided (who, when, why) and from then on counts in
no score, alert, caseload badge, document or export. The episode keeps showing it, as voided,
with its reason. The change is an UPDATE of a clinical row, so the audit trail records it
with the therapist as actor (therapy.audit.changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from therapy.extensions import db
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models.enums import AnswerSource

REASON_MAX_LENGTH = 1000


class VoidableAnswers(Protocol):
    """A row of the patient's own answers (PHQ-15, check-in, PSFS rating)."""

    source: AnswerSource
    voided_at: datetime | None
    voided_by_id: int | None
    void_reason: str


class VoidRefused(ValueError):
    """These answers cannot be voided; the message says why, in words for the therapist."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class RefusalWords:
    """How a refusal names the kind of answers (lazy strings, said in the reader's language)."""

    already: object  # voided before
    paper: object  # entered by the therapist from paper


def can_be_voided(row: VoidableAnswers) -> bool:
    """Only the patient's own answers, and only once."""
    return row.source is not AnswerSource.THERAPIST_PAPER and row.voided_at is None


def void_answers(
    row: VoidableAnswers,
    reason: str,
    *,
    voided_by_id: int,
    now: datetime,
    words: RefusalWords,
) -> None:
    """Mark a patient-answered row voided with the therapist's reason (flush, no commit)."""
    reason = reason.strip()
    # Read again, locked until commit on PostgreSQL (SQLite's save holds the write lock):
    # a void from a second tab at the same moment is refused, not written over.
    db.session.refresh(row, with_for_update=True)
    if row.voided_at is not None:
        raise VoidRefused(words.already)
    if row.source is AnswerSource.THERAPIST_PAPER:
        raise VoidRefused(words.paper)
    if not reason:
        raise VoidRefused(_l("Say why these answers should no longer count."))
    if len(reason) > REASON_MAX_LENGTH:
        raise VoidRefused(_l("Keep the reason under %(max)d characters.", max=REASON_MAX_LENGTH))
    row.voided_at = now
    row.voided_by_id = voided_by_id
    row.void_reason = reason
