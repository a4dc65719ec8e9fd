"""Retention (WGBO art. 7:454): records 20 years past their last change, and only proposed."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, select, update

from tests.conftest import csrf_token_from
from tests.factories import make_full_episode, make_patient, make_user
from therapy.extensions import db
from therapy.models import DestructionRequest, Document, Patient, TherapySession
from therapy.models.enums import DestructionOrigin, DestructionStatus, DocumentKind, Role
from therapy.models.types import UTCDateTime
from therapy.services.records.erasure import belongs_to, clinical_tables
from therapy.services.records.retention import last_change_of, retention_ends

LONG_AGO = datetime.now(UTC) - timedelta(days=365 * 21)


def _age(patient_id: int, when: datetime) -> None:
    """Every timestamp of the record set to `when` (a draft document may still change)."""
    for table in clinical_tables():
        # Each time already there moves back; an empty one (a void never made) stays empty.
        stamps = {
            c.name: case((c.is_not(None), when), else_=c)
            for c in table.columns
            if isinstance(c.type, UTCDateTime)
        }
        if stamps:
            db.session.execute(update(table).where(belongs_to(table, patient_id)).values(stamps))


def _old_record(therapist):
    patient = make_patient(therapist)
    episode = make_full_episode(patient)
    _age(patient.id, LONG_AGO)
    pdf = b"%PDF-1.7 sent long ago"
    db.session.add(
        Document(
            episode_id=episode.id,
            kind=DocumentKind.GP_LETTER,
            status="final",
            author_id=therapist.id,
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            snapshot={},
            created_at=LONG_AGO,
            finalised_at=LONG_AGO,
            sent_at=LONG_AGO,
        )
    )
    db.session.flush()
    return patient


def test_the_administrator_sees_the_records_whose_20_years_have_passed(app, login) -> None:
    therapist, admin = make_user(), make_user(Role.PRACTICE_ADMIN)
    old, fresh = _old_record(therapist), make_patient(therapist)
    recently_seen = _old_record(therapist)
    # One session changed this year: the record's 20 years start again from that change.
    db.session.execute(
        update(TherapySession)
        .where(belongs_to(TherapySession.__table__, recently_seen.id))
        .values(updated_at=datetime.now(UTC))
    )
    db.session.commit()
    page = login(admin).get("/admin/retention")
    assert page.status_code == 200
    assert old.record_number in page.text
    assert fresh.record_number not in page.text and recently_seen.record_number not in page.text
    assert abs(last_change_of(old.id) - LONG_AGO) < timedelta(seconds=1)
    # Seeing the list destroys nothing.
    assert db.session.scalar(select(Patient.id).where(Patient.id == old.id)) == old.id


def test_an_expired_record_is_proposed_and_its_therapist_decides(app, login) -> None:
    therapist, admin = make_user(), make_user(Role.PRACTICE_ADMIN)
    old, fresh = _old_record(therapist), make_patient(therapist)
    db.session.commit()
    old_id, fresh_id, number = old.id, fresh.id, old.record_number
    as_admin = login(admin, test_client=app.test_client())
    token = csrf_token_from(as_admin.get("/admin/retention").text)
    for patient_id in (fresh_id, old_id):
        response = as_admin.post(
            "/admin/retention/propose", data={"csrf_token": token, "patient_id": str(patient_id)}
        )
        assert response.status_code == 302
    request = db.session.scalar(select(DestructionRequest))
    assert request.patient_id == old_id and request.origin == DestructionOrigin.RETENTION_ENDED
    assert request.status == DestructionStatus.AWAITING_DECISION
    assert (
        db.session.scalar(
            select(DestructionRequest).where(DestructionRequest.patient_id == fresh_id)
        )
        is None
    )

    as_owner = login(therapist, test_client=app.test_client())
    page_url = f"/patients/{old_id}/record/destruction"
    page = as_owner.get(page_url)
    assert "Retention period of 20 years ended" in page.text
    response = as_owner.post(
        page_url,
        data={
            "csrf_token": csrf_token_from(page.text),
            "other_interest": "no",
            "legal_duty": "no",
            "decision": "grant",
            "reason": "Twenty years passed; nothing calls for keeping it longer.",
            "record_number": number,
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Patient.id).where(Patient.id == old_id)) is None
    assert db.session.scalar(select(Patient.id).where(Patient.id == fresh_id)) == fresh_id
    assert "No record has been kept for 20 years" in as_admin.get("/admin/retention").text


def test_twenty_years_from_29_february() -> None:
    leap = datetime(2004, 2, 29, 12, 0, tzinfo=UTC)
    assert retention_ends(leap) == datetime(2024, 2, 29, 12, 0, tzinfo=UTC)
    assert retention_ends(datetime(2008, 2, 29, tzinfo=UTC)) == datetime(2028, 2, 29, tzinfo=UTC)
    assert retention_ends(datetime(2012, 3, 1, tzinfo=UTC)).year == 2032
