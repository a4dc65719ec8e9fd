"""The therapist's side of destruction on request: record it, decide, see where it stands."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from therapy.access.scoping import current_therapist_id, get_patient_or_404
from therapy.extensions import db
from therapy.i18n.translation import gettext as _
from therapy.models import DestructionRequest, Patient
from therapy.models.enums import DestructionOrigin, DestructionRequester, DestructionStatus
from therapy.record_rights.aftercare import REFUSAL_MESSAGES, after_destruction
from therapy.record_rights.blueprint import bp
from therapy.record_rights.forms import DecisionForm, DestructionRequestForm, WithdrawForm
from therapy.services.records import destruction
from therapy.services.records.register import people_of


def _page(patient: Patient, form: object, open_request: DestructionRequest | None) -> str:
    history = destruction.requests_of(patient.id)
    return render_template(
        "record_rights/destruction.html",
        patient=patient,
        form=form,
        open_request=open_request,
        history=history,
        people=people_of(history),
        withdraw_form=WithdrawForm(),
    )


def _refused(error: destruction.DestructionRefused) -> None:
    db.session.rollback()
    flash(str(REFUSAL_MESSAGES[error.refusal]), "error")


@bp.route("/destruction", methods=["GET", "POST"])
def destruction_request(patient_id: int) -> str | Response:
    """Record a request to destroy the record and decide it; or decide one the practice
    administrator recorded; or see the request waiting for the administrator."""
    patient = get_patient_or_404(patient_id)
    therapist_id = int(current_therapist_id() or 0)
    here = url_for("record_rights.destruction_request", patient_id=patient.id)
    waiting = destruction.open_request_of(patient.id)
    if waiting is None:
        form: DestructionRequestForm | DecisionForm = DestructionRequestForm()
        if form.validate_on_submit():
            try:
                request = destruction.open_request(
                    patient,
                    opened_by_id=therapist_id,
                    origin=DestructionOrigin.PATIENT_REQUEST,
                    requested_on=form.requested_on.data,
                    requested_by=DestructionRequester(form.requested_by.data),
                    decision=form.decision_made(),
                )
                db.session.commit()
            except destruction.DestructionRefused as error:
                _refused(error)
            else:
                if request.status == DestructionStatus.REFUSED:
                    flash(
                        _("The request and your refusal are recorded. The record stays."), "success"
                    )
                else:
                    flash(
                        _(
                            "The request is granted. The practice administrator confirms it; "
                            "the record is destroyed at that moment."
                        ),
                        "success",
                    )
                return redirect(here)
        return _page(patient, form, None)
    if waiting.status != DestructionStatus.AWAITING_DECISION:
        return _page(patient, None, waiting)
    decision_form = DecisionForm()
    if decision_form.validate_on_submit():
        try:
            destroyed = destruction.decide(
                waiting,
                therapist_id=therapist_id,
                decision=decision_form.decision_made(),
                record_number=decision_form.record_number.data or "",
            )
            db.session.commit()
        except destruction.DestructionRefused as error:
            _refused(error)
            return redirect(here)
        if destroyed:
            after_destruction()
            flash(
                _("The record was destroyed. The practice's register keeps that it was."), "success"
            )
            return redirect(url_for("caseload.index"))
        flash(_("Your refusal is recorded. The record stays."), "success")
        return redirect(here)
    return _page(patient, decision_form, waiting)


@bp.route("/destruction/withdraw", methods=["POST"])
def withdraw_destruction(patient_id: int) -> Response:
    """Withdraw the request still waiting (the patient changed their mind, or a mistake)."""
    patient = get_patient_or_404(patient_id)
    here = url_for("record_rights.destruction_request", patient_id=patient.id)
    waiting = destruction.open_request_of(patient.id)
    if waiting is None or not WithdrawForm().validate_on_submit():
        return redirect(here)
    try:
        destruction.withdraw(waiting, user_id=int(current_therapist_id() or 0))
        db.session.commit()
    except destruction.DestructionRefused as error:
        _refused(error)
    else:
        flash(_("The request is withdrawn. The record stays."), "success")
    return redirect(here)
