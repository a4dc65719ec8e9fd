"""Voiding a patient's own PHQ-15 (issue 13): never changed, but set aside with a reason.

The mechanism is shared with the check-in and the PSFS rating (therapy.services.voiding);
from then on the PHQ-15 counts in no score, chart, alert, caseload badge, document or export,
and the episode keeps showing it, as voided, with its reason.
"""

from __future__ import annotations

from datetime import datetime

from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import Phq15Administration
from therapy.services.voiding import (
    REASON_MAX_LENGTH,
    RefusalWords,
    VoidRefused,
    can_be_voided,
    void_answers,
)

__all__ = ["REASON_MAX_LENGTH", "VoidRefused", "can_be_voided", "void_administration"]

_WORDS = RefusalWords(
    already=_l("This PHQ-15 was already voided; nothing was changed."),
    paper=_l(
        "Only answers the patient gave themselves are voided; this one was entered from paper."
    ),
)


def void_administration(
    administration: Phq15Administration, reason: str, *, voided_by_id: int, now: datetime
) -> None:
    """Mark a patient-answered PHQ-15 voided with the therapist's reason (flush, no commit)."""
    void_answers(administration, reason, voided_by_id=voided_by_id, now=now, words=_WORDS)
