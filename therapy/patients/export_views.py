"""A patient's whole record as a FHIR R4 Bundle, downloaded by the owning therapist."""

from __future__ import annotations

import json

from flask import Response, abort, current_app

from therapy.access.scoping import get_patient_or_404
from therapy.audit.events import note_event
from therapy.downloads import content_disposition
from therapy.exports.fhir.bundle import BUNDLE_TYPE, patient_bundle
from therapy.extensions import db
from therapy.models.enums import AuditAction
from therapy.patients.blueprint import bp


@bp.route("/<int:patient_id>/export/fhir")
def fhir_export(patient_id: int) -> Response:
    """Every resource of the record in one Bundle, validated and read back; an EXPORT event."""
    patient = get_patient_or_404(patient_id)
    bundle = patient_bundle(patient.id, str(current_app.config["FHIR_BASE_URL"]))
    if bundle is None:
        abort(404)
    note_event(
        AuditAction.EXPORT,
        patient_id=patient.id,
        object_type="patient",
        object_id=patient.id,
        detail=f"FHIR R4 Bundle: {len(bundle['entry'])} resources",
    )
    db.session.commit()
    # The file is named by the record's internal number, never by the patient's name.
    name = f"patient-{patient.id}-fhir-r4.json"
    return Response(
        json.dumps(bundle, ensure_ascii=False, separators=(",", ":")),
        mimetype=BUNDLE_TYPE,
        headers={"Content-Disposition": content_disposition(name)},
    )
