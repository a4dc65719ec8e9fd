"""Handing the device to the patient, and taking it back with the therapist's password."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

import therapy.self_report.steps as step_pages
from therapy.access.gate import current_login
from therapy.access.scoping import get_self_report_request_or_404
from therapy.audit.events import note_event
from therapy.extensions import db
from therapy.i18n.translation import gettext as _
from therapy.models import SelfReportRequest
from therapy.models.enums import AuditAction, AuditOutcome, SelfReportChannel
from therapy.models.types import utcnow
from therapy.self_report.blueprint import bp
from therapy.self_report.current import load_request, speak_patients_language
from therapy.self_report.forms import ReturnForm
from therapy.services.accounts.login import StepResult, password_step
from therapy.services.self_report.requests import LinkState, state_of

EPISODE_PREFIX = "/patients/<int:patient_id>/episodes/<int:episode_id>/self-report"


def hand_over(request: SelfReportRequest) -> Response:
    """Turn this login's screen into the patient's (the caller has checked the request)."""
    record = current_login().record
    if record is None:  # the login gate lets only a full login reach the caller
        abort(403)
    record.handover_request_id = request.id
    note_event(
        AuditAction.ACCOUNT,
        patient_id=request.episode.patient_id,
        object_type="self_report_request",
        object_id=request.id,
        detail="device handed over to the patient",
    )
    db.session.commit()
    return redirect(step_pages.first_url(request))


@bp.route(EPISODE_PREFIX + "/<int:request_id>/hand-over", methods=["POST"])
def handover_start(patient_id: int, episode_id: int, request_id: int) -> Response:
    """Hand the device over for an open device request of this episode."""
    request = get_self_report_request_or_404(patient_id, episode_id, request_id)
    if request.channel is not SelfReportChannel.DEVICE or (
        state_of(request, utcnow()) is not LinkState.OPEN
    ):
        flash(_("This request can no longer be answered on this device."), "warning")
        return redirect(url_for("episodes.detail", patient_id=patient_id, episode_id=episode_id))
    return hand_over(request)


@bp.route("/answer/return", methods=["GET", "POST"])
def handover_return() -> str | Response | tuple[str, int]:
    """Back to the therapist's pages: only with the therapist's password (throttled)."""
    record = current_login().record
    if record is None or record.handover_request_id is None:
        return redirect(url_for("caseload.index"))
    request = load_request(record.handover_request_id)
    if request is not None:
        speak_patients_language(request)
    form = ReturnForm()
    if form.validate_on_submit():
        outcome = password_step(current_user.email, form.password.data or "")
        if outcome.user is not None and outcome.user.id == current_user.id:
            record.handover_request_id = None
            note_event(AuditAction.ACCOUNT, patient_id=None, detail="device taken back")
            db.session.commit()
            if request is None:
                return redirect(url_for("caseload.index"))
            return redirect(
                url_for(
                    "episodes.detail",
                    patient_id=request.episode.patient_id,
                    episode_id=request.episode_id,
                )
            )
        note_event(AuditAction.LOGIN, patient_id=None, outcome=AuditOutcome.FAILED)
        db.session.commit()
        if outcome.result is StepResult.THROTTLED:
            form.password.errors.append(_("Too many attempts. Wait a minute, then try again."))
            return render_template("self_report/return.html", form=form), 429
        form.password.errors.append(_("The password is not correct."))
    return render_template("self_report/return.html", form=form)
