"""A final document is a medical record: the database and the ORM refuse to change it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tests.factories import make_episode, make_patient, make_user
from therapy.extensions import db
from therapy.models import AuditEvent, Document
from therapy.models.document import FinalDocumentError
from therapy.models.enums import AuditAction, AuditOutcome, DocumentKind, DocumentStatus

PDF = b"%PDF-1.7 the report as finalised"


def _document(episode, status: DocumentStatus, version: int = 1) -> Document:
    final = status == DocumentStatus.FINAL
    document = Document(
        episode_id=episode.id,
        kind=DocumentKind.TREATMENT_REPORT,
        version=version,
        status=status,
        content={"summary": "As sent"},
        author_id=episode.therapist_id,
        pdf=PDF if final else None,
        sha256=hashlib.sha256(PDF).hexdigest() if final else None,
        snapshot={"format": 1} if final else None,
        finalised_at=datetime(2026, 3, 1, tzinfo=UTC) if final else None,
    )
    db.session.add(document)
    db.session.commit()
    return document


@pytest.fixture
def episode(app):
    therapist = make_user()
    episode = make_episode(make_patient(therapist))
    db.session.commit()
    return episode


def _refused(statement: str, document_id: int, **values: object) -> bool:
    """Run one SQL statement (not through the ORM's unit of work) in a savepoint."""
    try:
        with db.session.begin_nested():
            db.session.execute(text(statement), {"id": document_id, **values})
    except DBAPIError as error:
        assert "a final document cannot be" in str(error)
        return True
    return False


@pytest.mark.parametrize(
    "change",
    [
        "pdf = :pdf",
        "sha256 = :sha",
        "snapshot = '{\"format\": 2}'",
        "status = 'draft'",
        "content = '{}'",
        "finalised_at = NULL, status = 'draft', pdf = NULL, sha256 = NULL, snapshot = NULL",
    ],
)
def test_the_database_refuses_to_change_a_final_document(episode, change):
    final = _document(episode, DocumentStatus.FINAL)
    statement = f"UPDATE document SET {change} WHERE id = :id"  # noqa: S608 (fixed SQL above)
    values = {"pdf": b"%PDF tampered", "sha": "0" * 64}
    assert _refused(statement, final.id, **{k: v for k, v in values.items() if f":{k}" in change})
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Document, final.id)
    assert (stored.pdf, stored.status) == (PDF, DocumentStatus.FINAL)


def test_the_database_refuses_to_delete_a_final_document_but_not_a_draft(episode):
    final = _document(episode, DocumentStatus.FINAL)
    draft = _document(episode, DocumentStatus.DRAFT, version=2)
    assert _refused("DELETE FROM document WHERE id = :id", final.id)
    assert not _refused("UPDATE document SET content = '{}' WHERE id = :id", draft.id)
    assert not _refused("DELETE FROM document WHERE id = :id", draft.id)
    # When it was sent may still be recorded.
    assert not _refused("UPDATE document SET sent_at = CURRENT_TIMESTAMP WHERE id = :id", final.id)
    assert db.session.scalar(select(Document.id).where(Document.id == final.id)) == final.id


def test_finalising_a_draft_is_allowed(episode):
    draft = _document(episode, DocumentStatus.DRAFT)
    statement = (
        "UPDATE document SET status = 'final', pdf = :pdf, sha256 = :sha, "
        "snapshot = '{}', finalised_at = CURRENT_TIMESTAMP WHERE id = :id"
    )
    assert not _refused(statement, draft.id, pdf=PDF, sha=hashlib.sha256(PDF).hexdigest())
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Document, draft.id).is_final


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("pdf", b"%PDF tampered"),
        ("sha256", "0" * 64),
        ("snapshot", {"format": 2}),
        ("status", DocumentStatus.DRAFT),
        ("content", {"summary": "Rewritten"}),
    ],
)
def test_the_orm_refuses_before_any_sql_with_a_clear_error(episode, name, value):
    final = _document(episode, DocumentStatus.FINAL)
    setattr(final, name, value)
    with pytest.raises(FinalDocumentError, match=f"is final; {name} cannot be changed"):
        db.session.commit()
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Document, final.id).pdf == PDF


def test_the_orm_allows_sent_at_and_refuses_a_delete(episode):
    final = _document(episode, DocumentStatus.FINAL)
    final.sent_at = datetime(2026, 3, 2, tzinfo=UTC)
    db.session.commit()
    db.session.delete(final)
    with pytest.raises(FinalDocumentError, match="cannot be deleted"):
        db.session.commit()
    db.session.rollback()
    draft = _document(episode, DocumentStatus.DRAFT, version=2)
    draft.content = {"summary": "Edited"}
    db.session.commit()
    db.session.delete(draft)
    db.session.commit()


def _tamper_behind_the_guards(backend: str, document_id: int) -> None:
    """What someone with direct database access could do: switch the guard off, edit the PDF."""
    change = text("UPDATE document SET pdf = :pdf WHERE id = :id")
    values = {"pdf": b"%PDF-1.7 tampered bytes", "id": document_id}
    if backend == "postgresql":
        db.session.execute(text("ALTER TABLE document DISABLE TRIGGER document_final_immutable"))
        db.session.execute(change, values)
        db.session.execute(text("ALTER TABLE document ENABLE TRIGGER document_final_immutable"))
    else:
        db.session.execute(text("DROP TRIGGER document_final_no_update"))
        db.session.execute(change, values)  # the test's database copy is thrown away after
    db.session.commit()


def test_a_tampered_final_pdf_is_not_served_and_is_audited(app, backend, login):
    therapist = make_user()
    episode = make_episode(make_patient(therapist))
    db.session.commit()
    final = _document(episode, DocumentStatus.FINAL)
    client = login(therapist)
    url = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents/{final.id}/pdf"
    assert client.get(url).data == PDF
    _tamper_behind_the_guards(backend, final.id)
    response = client.get(url)
    assert response.status_code == 409
    assert response.mimetype == "text/html"
    assert b"tampered" not in response.data
    assert "The stored PDF does not match its hash" in response.text
    assert final.sha256 in response.text
    db.session.expire_all()
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.outcome == AuditOutcome.FAILED)
    ).all()
    assert (event.action, event.object_type, event.object_id) == (
        AuditAction.EXPORT,
        "document",
        final.id,
    )
    assert event.patient_id == episode.patient_id
    assert "does not match its SHA-256" in event.detail
