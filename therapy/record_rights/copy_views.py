"""The patient's copy of the record (WGBO art. 7:456; GDPR art. 15, 20), and when it was given."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select

from therapy.access.scoping import get_patient_or_404
from therapy.audit.events import note_event
from therapy.clock import practice_today
from therapy.downloads import as_attachment
from therapy.extensions import db
from therapy.i18n.locale import practice_language
from therapy.models import AuditEvent, User
from therapy.models.enums import AuditAction
from therapy.models.types import utcnow
from therapy.record_rights.blueprint import bp
from therapy.services.records.copy_archive import copy_pdf, copy_zip, machine_readable
from therapy.services.records.copy_gather import gather_copy

# The export event of a copy handed to the patient; the page lists these as "copies given".
COPY_OBJECT = "patient_copy"


def copies_given(patient_id: int) -> list[tuple[object, str | None]]:
    """When a copy of this record was made, and by whom, newest first (from the audit trail)."""
    rows = db.session.execute(
        select(AuditEvent.occurred_at, User.full_name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(
            AuditEvent.patient_id == patient_id,
            AuditEvent.action == AuditAction.EXPORT,
            AuditEvent.object_type == COPY_OBJECT,
        )
        .order_by(AuditEvent.id.desc())
    )
    return [(row.occurred_at, row.full_name) for row in rows]


@bp.route("/copy")
def copy(patient_id: int) -> str:
    """What the copy holds, the download, and every copy given so far."""
    patient = get_patient_or_404(patient_id)
    return render_template(
        "record_rights/copy.html", patient=patient, given=copies_given(patient.id)
    )


@bp.route("/copy/download")
def copy_download(patient_id: int) -> Response:
    """The ZIP for the patient: the record as a PDF, as FHIR R4, and the documents as sent."""
    patient = get_patient_or_404(patient_id)
    patient_id, number = patient.id, patient.record_number
    bundle = machine_readable(patient_id, str(current_app.config["FHIR_BASE_URL"]))
    if bundle is None:
        abort(404)
    record = gather_copy(patient, practice_today())
    # Everything is read: end the transaction (with its read event) before the PDF is made, so
    # SQLite's write lock is not held for the second it takes; the copy is plain data now.
    db.session.commit()
    made_at = utcnow()
    # The copy is the patient's: in the practice's language, whatever the therapist reads.
    with force_locale(practice_language()):
        body = copy_zip(record, copy_pdf(record), bundle, made_at)
    note_event(
        AuditAction.EXPORT,
        patient_id=patient_id,
        object_type=COPY_OBJECT,
        object_id=patient_id,
        detail=f"patient copy: PDF, FHIR R4 Bundle, {len(record.documents)} documents",
    )
    db.session.commit()
    # Named by the record number, never by the patient's name (it ends up in download folders).
    name = f"copy-{''.join(c for c in number if c.isalnum() or c in '-_')}.zip"
    response = Response(body, mimetype="application/zip")
    return as_attachment(response, name)
