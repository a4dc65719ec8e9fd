"""Downloading or printing a document is on the audit trail as an export or a print of it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import select

from tests.factories import make_episode, make_patient, make_user
from therapy.extensions import db
from therapy.models import AuditEvent, Document
from therapy.models.enums import AuditAction, AuditOutcome, DocumentKind, DocumentStatus

PDF = b"%PDF-1.7 as finalised"


def _outputs() -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.in_((AuditAction.EXPORT, AuditAction.PRINT)))
            .order_by(AuditEvent.id)
        )
    )


def _setup(app, login):
    therapist = make_user()
    episode = make_episode(make_patient(therapist))
    draft = Document(
        episode_id=episode.id,
        kind=DocumentKind.TREATMENT_REPORT,
        version=2,
        author_id=therapist.id,
        content={},
    )
    final = Document(
        episode_id=episode.id,
        kind=DocumentKind.TREATMENT_REPORT,
        version=1,
        status=DocumentStatus.FINAL,
        author_id=therapist.id,
        content={},
        pdf=PDF,
        sha256=hashlib.sha256(PDF).hexdigest(),
        snapshot={"format": 1},
        finalised_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    db.session.add_all([final, draft])
    db.session.commit()
    base = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents"
    return login(therapist), base, episode, draft, final


def test_pdf_downloads_are_exports_of_the_document(app, login):
    client, base, episode, draft, final = _setup(app, login)
    assert client.get(f"{base}/{final.id}/pdf").data == PDF
    assert client.get(f"{base}/{draft.id}/pdf").status_code == 200
    exports = _outputs()
    assert [(e.action, e.object_type, e.object_id, e.outcome) for e in exports] == [
        (AuditAction.EXPORT, "document", final.id, AuditOutcome.SUCCESS),
        (AuditAction.EXPORT, "document", draft.id, AuditOutcome.SUCCESS),
    ]
    assert {e.patient_id for e in exports} == {episode.patient_id}
    assert exports[0].detail == "PDF download: treatment_report v1, final"
    assert exports[1].detail == "PDF download: treatment_report v2, draft"


def test_the_print_view_is_a_print_and_the_final_download_page_is_not(app, login):
    client, base, episode, draft, final = _setup(app, login)
    assert client.get(f"{base}/{draft.id}/preview").status_code == 200
    [printed] = _outputs()
    assert (printed.action, printed.object_type, printed.object_id, printed.patient_id) == (
        AuditAction.PRINT,
        "document",
        draft.id,
        episode.patient_id,
    )
    # A final version's preview only offers its stored PDF: nothing is printed or exported.
    assert client.get(f"{base}/{final.id}/preview").status_code == 200
    assert len(_outputs()) == 1
