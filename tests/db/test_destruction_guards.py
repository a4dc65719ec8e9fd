"""The database's guards open for exactly one path, a destruction being carried out (both DBs).

Final documents and audit rows refuse every change and delete, whoever connects, except what
migration i17_record_destruction lets through: deleting the final documents of the patient
whose request is `carrying_out`, and blanking the detail of an audit row named in
`audit_redaction` by that request. The request itself moves only along the procedure's steps.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import DBAPIError

from tests.factories import make_final_report, make_full_episode, make_patient, make_user
from therapy.audit.chain import Actor, chained_hash, record_event, verify_chain
from therapy.audit.queries import search_detail
from therapy.extensions import db
from therapy.models import AuditEvent, AuditRedaction, DestructionRequest, Document, Patient
from therapy.models.enums import (
    AuditAction,
    DestructionOrigin,
    DestructionRequester,
    DestructionStatus,
    Role,
)
from therapy.services.records import destruction
from therapy.services.records.destruction import Decision

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _refused(statement, params: dict | None = None) -> bool:
    """True when the database refuses the statement (and nothing of it stays)."""
    try:
        with db.session.begin_nested():
            db.session.execute(
                text(statement) if isinstance(statement, str) else statement, params or {}
            )
    except DBAPIError:
        return True
    return False


@pytest.fixture
def granted(app):
    """A patient with a final report whose destruction the therapist granted (step one)."""
    therapist, admin = make_user(), make_user(Role.PRACTICE_ADMIN)
    patient = make_patient(therapist)
    report = make_final_report(make_full_episode(patient), version=2)
    other = make_final_report(make_full_episode(make_patient(therapist)), version=2)
    db.session.flush()
    request = destruction.open_request(
        patient,
        opened_by_id=therapist.id,
        origin=DestructionOrigin.PATIENT_REQUEST,
        requested_on=date(2026, 11, 30),
        requested_by=DestructionRequester.PATIENT,
        decision=Decision(True, False, False, "asked in writing"),
        now=NOW,
    )
    db.session.commit()
    return SimpleNamespace(
        therapist=therapist,
        admin=admin,
        patient=patient,
        report=report.id,
        other=other.id,
        request=request,
        number=patient.record_number,
    )


def _carrying_out(request: DestructionRequest, confirmer_id: int) -> None:
    db.session.execute(
        update(DestructionRequest)
        .where(DestructionRequest.id == request.id)
        .values(status="carrying_out", confirmed_by_id=confirmer_id, confirmed_at=NOW)
    )


def test_a_final_document_goes_only_while_its_patients_destruction_is_carried_out(granted):
    g = granted
    delete = "DELETE FROM document WHERE id = :id"
    # A granted request waiting for its second step opens nothing.
    assert _refused(delete, {"id": g.report})
    _carrying_out(g.request, g.admin.id)
    # Now exactly this patient's final documents may go; nobody's may change, not even these.
    assert _refused("UPDATE document SET pdf = NULL WHERE id = :id", {"id": g.report})
    assert _refused(delete, {"id": g.other})
    assert _refused("UPDATE document SET pdf = NULL WHERE id = :id", {"id": g.other})
    assert not _refused(delete, {"id": g.report})
    db.session.rollback()
    # Rolled back, the request waits again and the report is protected again.
    assert db.session.get(Document, g.report) is not None
    assert _refused(delete, {"id": g.report})


def test_after_a_destruction_every_other_final_document_stays_immutable(granted):
    g = granted
    destruction.confirm(g.request, confirmed_by_id=g.admin.id, record_number=g.number, now=NOW)
    db.session.commit()
    assert db.session.get(Document, g.report) is None
    assert _refused("DELETE FROM document WHERE id = :id", {"id": g.other})
    assert _refused(
        "UPDATE document SET sha256 = :h WHERE id = :id", {"id": g.other, "h": "0" * 64}
    )
    # The carried-out request opens nothing any more: it can no longer change at all.
    assert _refused(
        update(DestructionRequest)
        .where(DestructionRequest.id == g.request.id)
        .values(status="carrying_out")
    )
    assert _refused("DELETE FROM destruction_request WHERE id = :id", {"id": g.request.id})


def test_the_request_moves_only_along_the_procedure(granted):
    g = granted
    row = DestructionRequest.__table__
    # Opened as already destroyed, or by the same person twice: refused.
    base = {
        "patient_id": g.patient.id,
        "therapist_id": g.therapist.id,
        "origin": "retention_ended",
        "requested_on": date(2026, 11, 30),
        "reason": "",
        "opened_by_id": g.admin.id,
        "opened_at": NOW,
    }
    assert _refused(insert(row).values(**base, status="carried_out", carried_out_at=NOW))
    assert _refused(insert(row).values(**base, status="carrying_out"))
    # Skipping the second step, or the same person completing it, is refused.
    assert _refused(
        update(row).where(row.c.id == g.request.id).values(status="carried_out", carried_out_at=NOW)
    )
    assert _refused(
        update(row)
        .where(row.c.id == g.request.id)
        .values(status="carrying_out", confirmed_by_id=g.therapist.id, confirmed_at=NOW)
    )
    # Whose request it is never changes.
    assert _refused(
        update(row).where(row.c.id == g.request.id).values(patient_id=g.patient.id + 1000)
    )
    assert _refused("DELETE FROM destruction_request WHERE id = :id", {"id": g.request.id})


def test_an_audit_detail_changes_only_by_a_destructions_redaction(granted):
    g = granted
    search = record_event(
        AuditAction.SEARCH, actor=Actor(user_id=g.therapist.id), detail=search_detail(1, "x")
    )
    db.session.commit()
    blank = "UPDATE audit_event SET detail = '' WHERE id = :id"
    # No redaction row: refused. A redaction row can only be written while carrying out.
    assert _refused(blank, {"id": search.id})
    redaction = insert(AuditRedaction.__table__).values(
        event_id=search.id, destruction_id=g.request.id, redacted_hash="a" * 64
    )
    assert _refused(redaction)
    _carrying_out(g.request, g.admin.id)
    db.session.execute(redaction)
    # Even then only the detail may change, and nothing may be deleted.
    assert _refused("UPDATE audit_event SET user_id = NULL WHERE id = :id", {"id": search.id})
    assert _refused("DELETE FROM audit_event WHERE id = :id", {"id": search.id})
    assert not _refused(blank, {"id": search.id})
    assert _refused("DELETE FROM audit_redaction WHERE event_id = :id", {"id": search.id})
    assert _refused("UPDATE audit_redaction SET redacted_hash = :h", {"h": "b" * 64})
    db.session.rollback()


def test_verification_finds_a_redaction_no_destruction_accounts_for(granted, backend):
    """What someone at a SQL prompt could do with the guards switched off is found."""
    g = granted
    search = record_event(
        AuditAction.SEARCH, actor=Actor(user_id=g.therapist.id), detail=search_detail(1, "Jansen")
    )
    record_event(AuditAction.READ, actor=Actor(user_id=g.therapist.id), patient_id=g.patient.id)
    db.session.commit()
    destruction.confirm(g.request, confirmed_by_id=g.admin.id, record_number=g.number, now=NOW)
    db.session.commit()
    assert verify_chain().intact
    # Blanked, with a redaction row whose hash is right: only the missing seal betrays it.
    row = db.session.execute(select(AuditEvent.__table__).where(AuditEvent.id == search.id)).one()
    blanked = SimpleNamespace(**{**row._mapping, "detail": "1 found for: "})
    _without_guards(
        backend,
        [
            (
                "INSERT INTO audit_redaction (event_id, destruction_id, redacted_hash) "
                "VALUES (:id, :destruction, :hash)"
            ),
            "UPDATE audit_event SET detail = '1 found for: ' WHERE id = :id",
        ],
        {
            "id": search.id,
            "destruction": g.request.id,
            "hash": chained_hash(row.prev_hash, blanked),
        },
    )
    report_ = verify_chain()
    assert not report_.intact and report_.broken_id == search.id
    assert "without a destruction that accounts for it" in report_.problem


def _without_guards(backend: str, statements: list[str], params: dict) -> None:
    if backend == "postgresql":
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
        for statement in statements:
            db.session.execute(text(statement), params)
    else:
        triggers = db.session.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name IN ('audit_event', 'audit_redaction')"
            )
        ).all()
        for name, _sql in triggers:
            db.session.execute(text(f'DROP TRIGGER "{name}"'))
        for statement in statements:
            db.session.execute(text(statement), params)
        for _name, sql in triggers:
            db.session.execute(text(sql))
    db.session.commit()


def test_the_trail_verifies_after_a_destruction_and_a_redacted_row_stays_tamper_evident(
    granted, backend
):
    g = granted
    search = record_event(
        AuditAction.SEARCH,
        actor=Actor(user_id=g.therapist.id),
        detail=search_detail(1, g.patient.family_name),
    )
    db.session.commit()
    destruction.confirm(g.request, confirmed_by_id=g.admin.id, record_number=g.number, now=NOW)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(AuditEvent, search.id).detail == "1 found for: "
    assert verify_chain().intact
    _without_guards(
        backend,
        ["UPDATE audit_event SET client_address = 'elsewhere' WHERE id = :id"],
        {"id": search.id},
    )
    report_ = verify_chain()
    assert not report_.intact and report_.broken_id == search.id


def test_a_destroyed_patients_id_is_never_given_again(granted):
    g = granted
    newest = make_patient(g.therapist)
    db.session.commit()
    newest_id = newest.id
    second = destruction.open_request(
        newest,
        opened_by_id=g.therapist.id,
        origin=DestructionOrigin.PATIENT_REQUEST,
        requested_on=date(2026, 11, 30),
        requested_by=DestructionRequester.PATIENT,
        decision=Decision(True, False, False, "asked in writing"),
    )
    db.session.commit()
    destruction.confirm(
        second, confirmed_by_id=g.admin.id, record_number=newest.record_number, now=NOW
    )
    db.session.commit()
    assert db.session.get(Patient, newest_id) is None
    after = make_patient(g.therapist)
    db.session.commit()
    assert after.id > newest_id
    assert (
        db.session.scalar(
            select(DestructionRequest.status).where(DestructionRequest.id == second.id)
        )
        == DestructionStatus.CARRIED_OUT
    )


def test_two_confirmations_at_once_destroy_once_and_refuse_the_other(app, granted) -> None:
    g = granted
    second_admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    request_id, admins = g.request.id, (g.admin.id, second_admin.id)
    db.session.commit()  # reading the ids began a transaction: the threads must not wait on it
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def confirm(admin_id: int) -> None:
        with app.app_context():
            start.wait()
            try:
                request = db.session.get(DestructionRequest, request_id)
                destruction.confirm(
                    request, confirmed_by_id=admin_id, record_number=g.number, now=NOW
                )
                db.session.commit()
                outcomes.append("destroyed")
            except destruction.DestructionRefused as error:
                db.session.rollback()
                outcomes.append(error.refusal)
            except Exception as error:  # any other outcome fails the test
                db.session.rollback()
                outcomes.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm, args=(admin_id,)) for admin_id in admins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(map(str, outcomes)) == ["destroyed", "not_open"], outcomes
    assert verify_chain().intact
