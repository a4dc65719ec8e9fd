"""The patient's copy (WGBO art. 7:456): the whole record as PDF, FHIR R4 and documents as sent."""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import select

from tests.factories import make_user
from tests.marked_record import make_marked_record
from tests.web.pdf_text import ARTIFACTS, page_texts
from therapy.extensions import db
from therapy.models import AuditEvent, Practice
from therapy.models.enums import AuditAction


def _download(client, patient_id: int) -> zipfile.ZipFile:
    response = client.get(f"/patients/{patient_id}/record/copy/download")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/zip"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and ".zip" in disposition
    return zipfile.ZipFile(io.BytesIO(response.get_data()))


def test_the_copy_holds_every_part_of_the_record(app, login) -> None:
    therapist = make_user()
    record = make_marked_record(therapist)
    db.session.commit()
    number = record.patient.record_number
    archive = _download(login(therapist), record.patient.id)

    names = set(archive.namelist())
    pdf_name, json_name = f"record-{number}.pdf", f"record-{number}-fhir-r4.json"
    documents = [name for name in names if name.startswith("documents/")]
    assert {pdf_name, json_name, "contents.txt"} <= names and len(documents) == 1
    # The final document exactly as it was stored and sent, byte for byte.
    assert archive.read(documents[0]) == record.document_pdf

    text = " ".join(page_texts(archive.read(pdf_name)))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "patient-copy.pdf").write_bytes(archive.read(pdf_name))
    # Every text of the record is in the readable copy, but the stored document's own ones
    # (they are in its file) and a form draft's (work in progress, not part of the record).
    left_out = {record.markers[-1], *_draft_markers(record)}
    assert not [m for m in record.markers if m not in text and m not in left_out]

    bundle = json.loads(archive.read(json_name))
    assert bundle["resourceType"] == "Bundle"
    patients = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert len(patients) == 1 and record.family_name in json.dumps(patients[0])

    contents = archive.read("contents.txt").decode()
    assert documents[0] in contents and pdf_name in contents


def _draft_markers(record) -> set[str]:
    """Markers written into a form draft of the record."""
    from therapy.models import FormDraft

    fields = db.session.scalars(
        select(FormDraft.fields).where(FormDraft.patient_id == record.patient.id)
    ).all()
    return {marker for marker in record.markers if any(marker in value for value in fields)}


def test_each_copy_is_an_audited_export_the_therapist_sees(app, login) -> None:
    therapist = make_user(full_name="Eva Owner")
    record = make_marked_record(therapist)
    db.session.commit()
    client = login(therapist)
    page = client.get(f"/patients/{record.patient.id}/record/copy")
    assert page.status_code == 200 and "No copy has been made yet." in page.text
    _download(client, record.patient.id)
    _download(client, record.patient.id)
    exports = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.EXPORT,
            AuditEvent.patient_id == record.patient.id,
            AuditEvent.object_type == "patient_copy",
        )
    ).all()
    assert len(exports) == 2 and {e.user_id for e in exports} == {therapist.id}
    page = client.get(f"/patients/{record.patient.id}/record/copy")
    assert page.text.count("Eva Owner") >= 3  # the header, and one row per copy given


def test_another_therapist_gets_no_copy(app, login) -> None:
    owner, other = make_user(), make_user()
    record = make_marked_record(owner)
    db.session.commit()
    client = login(other)
    assert client.get(f"/patients/{record.patient.id}/record/copy/download").status_code == 404
    assert client.get(f"/patients/{record.patient.id}/record/copy").status_code == 404


def test_the_copy_is_in_the_practices_language_whatever_the_therapist_reads(app, login) -> None:
    therapist = make_user()
    therapist.language = "en_GB"  # the therapist reads English
    db.session.add(
        Practice(name="Praktijk", language="nl")
    )  # the practice, and its patients, Dutch
    record = make_marked_record(therapist)
    db.session.commit()
    client = login(therapist)
    assert "Copy for the patient" in client.get(f"/patients/{record.patient.id}/record/copy").text
    archive = _download(client, record.patient.id)

    text = " ".join(page_texts(archive.read(f"record-{record.patient.record_number}.pdf")))
    assert "Kopie van uw dossier" in text and "Copy of your record" not in text
    assert "vertrouwelijk" in text.lower() and "confidential" not in text.lower()
