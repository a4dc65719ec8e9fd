"""The second check of a link (the patient's date of birth) and the throttle on guessing.

Both a wrong token and a wrong date of birth count as failures, per client address and (for
the date) per link, in the login's table and with the login's limits: five a minute. After
ten wrong dates a link is locked for good and the therapist makes a new one.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from therapy.extensions import db
from therapy.models import Patient, SelfReportRequest
from therapy.services.accounts import throttle

LOCK_AFTER = 10


class BirthDateCheck(StrEnum):
    """The outcome of a typed date of birth."""

    RIGHT = "right"
    WRONG = "wrong"
    THROTTLED = "throttled"
    LOCKED = "locked"


def address_key(client_address: str) -> str:
    """The throttle's name for one client address."""
    return "self-report-address:" + client_address[:200]


def link_key(request_id: int) -> str:
    """The throttle's name for one link."""
    return f"self-report-link:{request_id}"


def address_throttled(client_address: str, now: datetime) -> bool:
    """True when this address failed five times in the last minute (token or date)."""
    return throttle.is_throttled(address_key(client_address), now)


def note_unknown_token(client_address: str, now: datetime) -> None:
    """Count a link that opens nothing against the address (the caller commits)."""
    throttle.record_failure(address_key(client_address), now)


def is_locked(request: SelfReportRequest) -> bool:
    """True once a link had too many wrong dates of birth."""
    return request.dob_failures >= LOCK_AFTER


def check_birth_date(
    request: SelfReportRequest, typed: date, client_address: str, now: datetime
) -> BirthDateCheck:
    """Compare the typed date with the patient's; throttled before anything is compared."""
    if is_locked(request):
        return BirthDateCheck.LOCKED
    if address_throttled(client_address, now) or throttle.is_throttled(link_key(request.id), now):
        return BirthDateCheck.THROTTLED
    patient = db.session.get(Patient, request.episode.patient_id)
    if patient is not None and patient.date_of_birth == typed:
        return BirthDateCheck.RIGHT
    request.dob_failures += 1
    throttle.record_failure(link_key(request.id), now)
    throttle.record_failure(address_key(client_address), now)
    return BirthDateCheck.LOCKED if is_locked(request) else BirthDateCheck.WRONG
