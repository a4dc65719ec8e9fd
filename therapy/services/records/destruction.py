"""Destruction on request (WGBO art. 7:455, SECURITY.md promise 13): recorded, decided, two steps.

1. A request is recorded, by the patient's therapist (who decides at once) or by the practice
   administrator (a request that reached the practice's desk, or a record whose 20 years have
   passed, art. 7:454).
2. The therapist decides. Both exceptions of art. 7:455 lid 2 are answered: keeping the record
   is of considerable interest to someone other than the patient; a law requires keeping it.
   The request is granted only when neither applies, and the decision carries a reason.
3. A second person completes it: the administrator confirms what the therapist granted, or
   the therapist grants what the administrator opened, typing the record number either way.
   Whoever opened a request never completes it (the database checks that too).

Carrying it out removes the record everywhere (therapy.services.records.erasure) and blanks
and seals the audit details that name the patient (therapy.audit.destruction), in the
caller's transaction. Nothing here runs by itself: nothing is ever destroyed automatically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import ObjectDeletedError

from therapy.audit.changes import is_clinical, patient_id_of
from therapy.audit.destruction import PatientIdentity, note_destruction, redact_searches
from therapy.audit.events import note_event
from therapy.extensions import db
from therapy.models import DestructionRequest, Patient
from therapy.models.destruction import OPEN_STATUSES
from therapy.models.enums import (
    AuditAction,
    DestructionOrigin,
    DestructionRequester,
    DestructionStatus,
)
from therapy.models.types import utcnow
from therapy.services.records.erasure import erase_record

AUDIT_OBJECT = "destruction_request"


class Refusal(StrEnum):
    """Why the procedure refused a step (the view says it in words)."""

    ALREADY_OPEN = "already_open"
    NOT_OPEN = "not_open"
    EXCEPTION_APPLIES = "exception_applies"
    NO_REASON = "no_reason"
    SAME_PERSON = "same_person"
    NOT_THE_THERAPIST = "not_the_therapist"
    RECORD_NUMBER = "record_number"


class DestructionRefused(Exception):
    """A step the procedure does not allow; nothing was changed."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(frozen=True)
class Decision:
    """The therapist's decision, with both legal exceptions answered."""

    grant: bool
    other_interest: bool
    legal_duty: bool
    reason: str


def open_request_of(patient_id: int) -> DestructionRequest | None:
    """The patient's request still waiting for a step, if any."""
    return db.session.scalar(
        select(DestructionRequest).where(
            DestructionRequest.patient_id == patient_id,
            DestructionRequest.status.in_(OPEN_STATUSES),
        )
    )


def requests_of(patient_id: int) -> list[DestructionRequest]:
    """Every request about the patient's record, newest first."""
    return list(
        db.session.scalars(
            select(DestructionRequest)
            .where(DestructionRequest.patient_id == patient_id)
            .order_by(DestructionRequest.id.desc())
        )
    )


def _check(decision: Decision) -> None:
    if not decision.reason.strip():
        raise DestructionRefused(Refusal.NO_REASON)
    if decision.grant and (decision.other_interest or decision.legal_duty):
        raise DestructionRefused(Refusal.EXCEPTION_APPLIES)


def _record(request: DestructionRequest, decision: Decision, user_id: int, now: datetime) -> None:
    request.other_interest = decision.other_interest
    request.legal_duty = decision.legal_duty
    request.reason = decision.reason.strip()
    request.decided_by_id = user_id
    request.decided_at = now


def _audit(action: AuditAction, request: DestructionRequest, user_id: int) -> None:
    note_event(
        action,
        patient_id=request.patient_id,
        object_type=AUDIT_OBJECT,
        object_id=request.id,
        user_id=user_id,
    )


def open_request(
    patient: Patient,
    *,
    opened_by_id: int,
    origin: DestructionOrigin,
    requested_on: date,
    requested_by: DestructionRequester | None,
    decision: Decision | None = None,
    now: datetime | None = None,
) -> DestructionRequest:
    """Record a request; with the therapist's decision when the therapist records it."""
    now = now or utcnow()
    if decision is not None:
        if opened_by_id != patient.therapist_id:
            raise DestructionRefused(Refusal.NOT_THE_THERAPIST)
        _check(decision)
    if open_request_of(patient.id) is not None:
        raise DestructionRefused(Refusal.ALREADY_OPEN)
    request = DestructionRequest(
        patient_id=patient.id,
        therapist_id=patient.therapist_id,
        origin=origin,
        requested_on=requested_on,
        requested_by=requested_by,
        status=DestructionStatus.AWAITING_DECISION,
        opened_by_id=opened_by_id,
        opened_at=now,
    )
    if decision is not None:
        _record(request, decision, opened_by_id, now)
        request.status = (
            DestructionStatus.AWAITING_CONFIRMATION if decision.grant else DestructionStatus.REFUSED
        )
    try:
        # The unique index on open requests settles two requests recorded at once.
        with db.session.begin_nested():
            db.session.add(request)
    except IntegrityError as error:
        raise DestructionRefused(Refusal.ALREADY_OPEN) from error
    _audit(AuditAction.CREATE, request, opened_by_id)
    return request


def _lock(request: DestructionRequest) -> None:
    """Read the request again under a row lock: of two people taking the same step at once,
    the second waits for the first and then finds the step taken (SQLite's writers take
    turns anyway)."""
    db.session.refresh(request, with_for_update=True)


def _require_open(request: DestructionRequest, status: DestructionStatus, user_id: int) -> None:
    _lock(request)
    if request.status != status:
        raise DestructionRefused(Refusal.NOT_OPEN)
    if request.opened_by_id == user_id:
        raise DestructionRefused(Refusal.SAME_PERSON)


def _check_record_number(patient_id: int, typed: str) -> Patient:
    patient = db.session.get(Patient, patient_id)
    if patient is None or typed.strip().casefold() != patient.record_number.strip().casefold():
        raise DestructionRefused(Refusal.RECORD_NUMBER)
    return patient


def decide(
    request: DestructionRequest,
    *,
    therapist_id: int,
    decision: Decision,
    record_number: str = "",
    now: datetime | None = None,
) -> bool:
    """The therapist's decision on a request the administrator opened; True if destroyed.

    Granting it is the second step, so the record is destroyed at once; the record number
    must be typed for that.
    """
    now = now or utcnow()
    _require_open(request, DestructionStatus.AWAITING_DECISION, therapist_id)
    if therapist_id != request.therapist_id:
        raise DestructionRefused(Refusal.NOT_THE_THERAPIST)
    _check(decision)
    if decision.grant:
        patient = _check_record_number(request.patient_id, record_number)
    _record(request, decision, therapist_id, now)
    if not decision.grant:
        request.status = DestructionStatus.REFUSED
        db.session.flush()
        _audit(AuditAction.UPDATE, request, therapist_id)
        return False
    carry_out(request, patient, confirmed_by_id=therapist_id, now=now)
    return True


def confirm(
    request: DestructionRequest, *, confirmed_by_id: int, record_number: str, now: datetime | None
) -> None:
    """The administrator's confirmation of what the therapist granted: the record goes."""
    _require_open(request, DestructionStatus.AWAITING_CONFIRMATION, confirmed_by_id)
    patient = _check_record_number(request.patient_id, record_number)
    carry_out(request, patient, confirmed_by_id=confirmed_by_id, now=now or utcnow())


def withdraw(request: DestructionRequest, *, user_id: int, now: datetime | None = None) -> None:
    """Close a request still waiting (the patient changed their mind, or it was a mistake)."""
    _lock(request)
    if not request.is_open:
        raise DestructionRefused(Refusal.NOT_OPEN)
    request.status = DestructionStatus.WITHDRAWN
    request.withdrawn_by_id = user_id
    request.withdrawn_at = now or utcnow()
    db.session.flush()
    _audit(AuditAction.UPDATE, request, user_id)


def _forget_rows_of(patient_id: int) -> None:
    """Drop the session's copies of the rows just deleted underneath it (never flushed again);
    other patients' rows stay as they were."""
    session = db.session()
    with session.no_autoflush:
        for obj in list(session.identity_map.values()):
            if obj not in session or not is_clinical(obj.__table__):  # type: ignore[attr-defined]
                continue
            try:
                owner = patient_id_of(session, obj)
            except ObjectDeletedError:
                owner = None  # expired, and its row is gone
            if owner is None or owner == patient_id:
                session.expunge(obj)


def carry_out(
    request: DestructionRequest, patient: Patient, *, confirmed_by_id: int, now: datetime
) -> None:
    """Destroy the record: blank the audit details naming it, remove every row, seal."""
    request.confirmed_by_id = confirmed_by_id
    request.confirmed_at = now
    request.status = DestructionStatus.CARRYING_OUT
    db.session.flush()  # from now on, and only now, the database lets the record go
    identity = PatientIdentity(
        given_name=patient.given_name,
        family_name=patient.family_name,
        record_number=patient.record_number,
        email=patient.email,
        phone=patient.phone,
        bsn=patient.bsn or "",
    )
    redactions = redact_searches(request.id, identity)
    erase_record(request.patient_id)
    _forget_rows_of(request.patient_id)
    request.status = DestructionStatus.CARRIED_OUT
    request.carried_out_at = now
    db.session.flush()
    note_destruction(request.id, request.patient_id, confirmed_by_id, redactions)
