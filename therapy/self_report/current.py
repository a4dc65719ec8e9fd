"""Which request the patient on this browser answers: by a checked link, or a handed-over login.

A link's request id sits in the signed session cookie only after the date of birth was right;
a handed-over device names its request on the therapist's server-side login. Either way the
request must still be open, and the page then speaks the patient's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, session
from sqlalchemy.orm import joinedload

from therapy.access.gate import handed_over_request_id
from therapy.extensions import db
from therapy.i18n.locale import use_language
from therapy.models import SelfReportRequest, TreatmentEpisode
from therapy.models.enums import SelfReportChannel
from therapy.models.types import utcnow
from therapy.services.self_report.answers import source_of
from therapy.services.self_report.requests import LinkState, state_of

LINK_KEY = "self_report_request"  # set once the date of birth was right
PENDING_KEY = "self_report_pending"  # set when a link was opened, before the check
LANGUAGE_KEY = "self_report_language"


@dataclass(frozen=True)
class Answering:
    """The patient's request and what it is now."""

    request: SelfReportRequest
    state: LinkState
    handed_over: bool

    @property
    def first_name(self) -> str:
        """The only thing of the record a patient's page shows."""
        return str(self.request.episode.patient.given_name)


def load_request(request_id: int | None) -> SelfReportRequest | None:
    """A request with its episode and patient, or None."""
    if request_id is None:
        return None
    return db.session.get(
        SelfReportRequest,
        request_id,
        options=[joinedload(SelfReportRequest.episode).joinedload(TreatmentEpisode.patient)],
    )


def speak_patients_language(request: SelfReportRequest) -> None:
    """The patient's own choice on this browser, else the language the therapist set."""
    chosen = session.get(LANGUAGE_KEY)
    use_language(chosen if isinstance(chosen, str) else request.language)


def answering() -> Answering | None:
    """The request this browser answers, or None when it answers none."""
    handed = handed_over_request_id()
    request_id = handed
    if request_id is None:
        linked = session.get(LINK_KEY)
        request_id = linked if isinstance(linked, int) else None
    request = load_request(request_id)
    if request is None:
        return None
    if handed is None and request.channel is not SelfReportChannel.LINK:
        return None
    speak_patients_language(request)
    # Every change made from here on is the patient's, on the audit trail.
    g.self_report_actor = (request.created_by_id, source_of(request).value)
    return Answering(request, state_of(request, utcnow()), handed is not None)
