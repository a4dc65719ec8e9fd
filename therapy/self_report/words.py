"""The therapist's words for a request: its state and what it asks."""

from __future__ import annotations

from therapy.i18n.labels import PHQ15_TIMEPOINT_LABELS
from therapy.i18n.translation import gettext as _
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import SelfReportRequest
from therapy.models.types import utcnow
from therapy.services.self_report.requests import LinkState, state_of

STATE_LABELS = {
    LinkState.OPEN.value: _l("Asked, not answered yet"),
    LinkState.USED.value: _l("Answers arrived"),
    LinkState.EXPIRED.value: _l("Expired unanswered"),
    LinkState.CANCELLED.value: _l("Withdrawn"),
    LinkState.UNKNOWN.value: _l("Unknown"),
}


def request_state(request: SelfReportRequest) -> str:
    """The request's state now, as a key of STATE_LABELS."""
    return state_of(request, utcnow()).value


def asked_text(request: SelfReportRequest) -> str:
    """What a request asks, in a few words: "PHQ-15 (Baseline), PSFS, check-in"."""
    parts = []
    if request.phq15_timepoint is not None:
        parts.append(_("PHQ-15 (%(when)s)", when=PHQ15_TIMEPOINT_LABELS[request.phq15_timepoint]))
    if request.psfs:
        parts.append(_("PSFS goals"))
    if request.checkin_session_id is not None:
        parts.append(_("alliance check-in"))
    return ", ".join(parts)
