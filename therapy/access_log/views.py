"""The access log of one patient's record, for the therapist who owns it."""

from __future__ import annotations

from flask import current_app, render_template, request

from therapy.access.scoping import get_patient_or_404
from therapy.access_log.blueprint import bp
from therapy.audit.queries import patient_events


@bp.route("/<int:patient_id>/access-log")
def patient_log(patient_id: int) -> str:
    """Every recorded view, change, print and export of this record, newest first."""
    patient = get_patient_or_404(patient_id)
    result = patient_events(
        patient.id,
        page=request.args.get("page", 1, type=int) or 1,
        per_page=int(current_app.config["AUDIT_PAGE_SIZE"]),
    )
    return render_template("access_log/patient.html", patient=patient, result=result)
