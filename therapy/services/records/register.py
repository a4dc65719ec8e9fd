"""The practice's register of destruction requests, as the administrator and therapist see it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from therapy.extensions import db
from therapy.models import DestructionRequest, Patient, User
from therapy.models.destruction import OPEN_STATUSES
from therapy.models.enums import DestructionStatus


@dataclass(frozen=True)
class RegisterPage:
    """Open requests by the step they wait for, and a page of closed ones, newest first."""

    awaiting_confirmation: list[DestructionRequest]
    awaiting_decision: list[DestructionRequest]
    closed: list[DestructionRequest]
    # Record numbers of the records that still exist (a destroyed one has none left).
    record_numbers: dict[int, str]
    people: dict[int, str]
    page: int
    pages: int


def people_of(requests: Iterable[DestructionRequest]) -> dict[int, str]:
    """The names of the therapists and of everyone who took a step (one query)."""
    ids = {
        user_id
        for request in requests
        for user_id in (
            request.therapist_id,
            request.opened_by_id,
            request.decided_by_id,
            request.confirmed_by_id,
            request.withdrawn_by_id,
        )
        if user_id is not None
    }
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
    return {row.id: row.full_name for row in rows}


def register_page(page: int = 1, per_page: int = 50) -> RegisterPage:
    """Every open request, and one page of the closed ones (in a fixed number of queries)."""
    open_requests = list(
        db.session.scalars(
            select(DestructionRequest)
            .where(DestructionRequest.status.in_(OPEN_STATUSES))
            .order_by(DestructionRequest.opened_at, DestructionRequest.id)
        )
    )
    closed_query = select(DestructionRequest).where(DestructionRequest.status.not_in(OPEN_STATUSES))
    total = int(
        db.session.scalar(closed_query.with_only_columns(func.count(DestructionRequest.id))) or 0
    )
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    closed = list(
        db.session.scalars(
            closed_query.order_by(DestructionRequest.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    shown = [*open_requests, *closed]
    patient_ids = {request.patient_id for request in shown}
    numbers: dict[int, str] = {}
    if patient_ids:
        rows = db.session.execute(
            select(Patient.id, Patient.record_number).where(Patient.id.in_(patient_ids))
        )
        numbers = {row.id: row.record_number for row in rows}
    return RegisterPage(
        awaiting_confirmation=[
            r for r in open_requests if r.status == DestructionStatus.AWAITING_CONFIRMATION
        ],
        awaiting_decision=[
            r for r in open_requests if r.status == DestructionStatus.AWAITING_DECISION
        ],
        closed=closed,
        record_numbers=numbers,
        people=people_of(shown),
        page=page,
        pages=pages,
    )


def patient_by_record_number(record_number: str) -> Patient | None:
    """The record with this number (as typed: surrounding spaces and case do not matter)."""
    typed = record_number.strip().lower()
    return db.session.scalar(select(Patient).where(func.lower(Patient.record_number) == typed))
