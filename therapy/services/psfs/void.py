"""Voiding a PSFS rating the patient gave (issue 13), as the PHQ-15 (therapy.services.voiding).

Voided, the rating stays with its goal as the patient gave it, shown with its reason, but
counts in no PSFS mean or change, caseload badge, document or export, and the patient can
rate the goal again.
"""

from __future__ import annotations

from datetime import datetime

from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import GoalRating
from therapy.services.voiding import RefusalWords, void_answers

_WORDS = RefusalWords(
    already=_l("This rating was already voided; nothing was changed."),
    paper=_l(
        "Only answers the patient gave themselves are voided; this rating was entered by the "
        "therapist."
    ),
)


def void_rating(rating: GoalRating, reason: str, *, voided_by_id: int, now: datetime) -> None:
    """Mark a patient-given PSFS rating voided with the therapist's reason (flush, no commit)."""
    void_answers(rating, reason, voided_by_id=voided_by_id, now=now, words=_WORDS)
