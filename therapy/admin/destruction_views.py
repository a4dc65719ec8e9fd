"""The administrator's side of destruction: the register, the second step, retention.

The administrator reads no clinical notes: these pages show record numbers, therapists,
dates and the decisions' grounds, never the record. Record numbers are patient data, so each
one shown is a read on the audit trail.
"""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from therapy.admin.blueprint import bp
from therapy.admin.destruction_forms import (
    ConfirmDestructionForm,
    ProposeDestructionForm,
    ReceivedRequestForm,
    WithdrawRequestForm,
)
from therapy.audit.events import note_read
from therapy.clock import practice_today
from therapy.extensions import db
from therapy.i18n.translation import gettext as _
from therapy.models import DestructionRequest, Patient
from therapy.models.enums import DestructionOrigin, DestructionRequester
from therapy.models.types import utcnow
from therapy.record_rights.aftercare import REFUSAL_MESSAGES, after_destruction
from therapy.services.records import destruction
from therapy.services.records.register import patient_by_record_number, register_page
from therapy.services.records.retention import expired_records, is_expired

REGISTER_READ = "destruction_request"
RETENTION_READ = "retention"


def _me() -> int:
    return int(current_user.id)


def _register_url() -> str:
    return url_for("admin.destruction_register")


def _refused(error: destruction.DestructionRefused) -> None:
    db.session.rollback()
    flash(str(REFUSAL_MESSAGES[error.refusal]), "error")


@bp.route("/destruction", methods=["GET"])
def destruction_register() -> str:
    """Requests waiting for confirmation or a decision, and the register of closed ones."""
    found = register_page(page=request.args.get("page", 1, type=int) or 1)
    for request_row in [*found.awaiting_confirmation, *found.awaiting_decision, *found.closed]:
        if request_row.patient_id in found.record_numbers:
            note_read(request_row.patient_id, REGISTER_READ, request_row.id)
    open_ids = [r.id for r in (*found.awaiting_confirmation, *found.awaiting_decision)]
    # A form per row, each with its own one-time key: confirming one leaves the others usable.
    return render_template(
        "admin/destruction.html",
        found=found,
        received_form=ReceivedRequestForm(),
        confirm_forms={
            r.id: ConfirmDestructionForm(data={"request_id": r.id})
            for r in found.awaiting_confirmation
        },
        withdraw_forms={i: WithdrawRequestForm(data={"request_id": i}) for i in open_ids},
    )


def _request_or_none(request_id: int | None) -> DestructionRequest | None:
    return db.session.get(DestructionRequest, request_id) if request_id else None


@bp.route("/destruction/confirm", methods=["POST"])
def confirm_destruction() -> Response:
    """The second step: destroy a record whose therapist granted the request."""
    form = ConfirmDestructionForm()
    if not form.validate_on_submit():
        flash(_("Type the record number to confirm; nothing was destroyed."), "error")
        return redirect(_register_url())
    waiting = _request_or_none(form.request_id.data)
    if waiting is None:
        flash(str(REFUSAL_MESSAGES[destruction.Refusal.NOT_OPEN]), "error")
        return redirect(_register_url())
    try:
        destruction.confirm(
            waiting,
            confirmed_by_id=_me(),
            record_number=form.record_number.data or "",
            now=utcnow(),
        )
        db.session.commit()
    except destruction.DestructionRefused as error:
        _refused(error)
    else:
        after_destruction()
        flash(
            _("The record was destroyed. The register keeps that it was, and by whom."), "success"
        )
    return redirect(_register_url())


@bp.route("/destruction/withdraw", methods=["POST"])
def withdraw_request() -> Response:
    """Withdraw a request still waiting for a step."""
    form = WithdrawRequestForm()
    waiting = _request_or_none(form.request_id.data) if form.validate_on_submit() else None
    if waiting is None:
        return redirect(_register_url())
    try:
        destruction.withdraw(waiting, user_id=_me())
        db.session.commit()
    except destruction.DestructionRefused as error:
        _refused(error)
    else:
        flash(_("The request is withdrawn. The record stays."), "success")
    return redirect(_register_url())


def _open_for_therapist(
    patient: Patient,
    origin: DestructionOrigin,
    requested_on: date,
    requested_by: DestructionRequester | None,
) -> None:
    try:
        destruction.open_request(
            patient,
            opened_by_id=_me(),
            origin=origin,
            requested_on=requested_on,
            requested_by=requested_by,
        )
        db.session.commit()
    except destruction.DestructionRefused as error:
        _refused(error)
    else:
        flash(_("Recorded. The patient's therapist now decides about it."), "success")


@bp.route("/destruction/received", methods=["POST"])
def record_received_request() -> Response:
    """A patient's request that reached the practice's desk, for the therapist to decide."""
    form = ReceivedRequestForm()
    if not form.validate_on_submit():
        flash(_("Give the record number, the date and who asked; nothing was recorded."), "error")
        return redirect(_register_url())
    patient = patient_by_record_number(form.record_number.data or "")
    if patient is None:
        flash(_("No record has this number; nothing was recorded."), "error")
        return redirect(_register_url())
    _open_for_therapist(
        patient,
        DestructionOrigin.PATIENT_REQUEST,
        requested_on=form.requested_on.data,
        requested_by=DestructionRequester(form.requested_by.data),
    )
    return redirect(_register_url())


@bp.route("/retention", methods=["GET"])
def retention() -> str:
    """The records whose 20 years since their last change have passed (WGBO art. 7:454)."""
    found = expired_records(utcnow(), page=request.args.get("page", 1, type=int) or 1)
    for record in found.records:
        note_read(record.patient_id, RETENTION_READ, None)
    return render_template(
        "admin/retention.html",
        found=found,
        propose_forms={
            record.patient_id: ProposeDestructionForm(data={"patient_id": record.patient_id})
            for record in found.records
            if record.open_status is None
        },
    )


@bp.route("/retention/propose", methods=["POST"])
def propose_destruction() -> Response:
    """Propose destroying an expired record; its therapist decides, nothing goes by itself."""
    form = ProposeDestructionForm()
    back = url_for("admin.retention")
    if not form.validate_on_submit() or form.patient_id.data is None:
        return redirect(back)
    patient = db.session.get(Patient, form.patient_id.data)
    now = utcnow()
    if patient is None or not is_expired(patient.id, now):
        flash(_("This record has not been kept for 20 years since its last change."), "error")
        return redirect(back)
    _open_for_therapist(
        patient,
        DestructionOrigin.RETENTION_ENDED,
        requested_on=practice_today(),
        requested_by=None,
    )
    return redirect(back)
