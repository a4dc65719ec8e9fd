"""Voiding a check-in the patient answered (issue 13), as the PHQ-15 (therapy.services.voiding).

Voided, the check-in stays on the session as the patient gave it, shown with its reason, but
raises no alliance alert, shows on no caseload badge, document or export, and the session can
be asked again.
"""

from __future__ import annotations

from datetime import datetime

from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import AllianceCheckin
from therapy.services.voiding import RefusalWords, void_answers

_WORDS = RefusalWords(
    already=_l("This check-in was already voided; nothing was changed."),
    paper=_l(
        "Only answers the patient gave themselves are voided; this check-in was entered by "
        "the therapist."
    ),
)


def void_checkin(
    checkin: AllianceCheckin, reason: str, *, voided_by_id: int, now: datetime
) -> None:
    """Mark a patient-answered check-in voided with the therapist's reason (flush, no commit)."""
    void_answers(checkin, reason, voided_by_id=voided_by_id, now=now, words=_WORDS)
