"""Destruction on request (SECURITY.md promise 13), through the pages, on both databases.

A marked record is copied, read, searched for and then destroyed in two steps by two people.
Afterwards no marker is left in any column of any table (nor, on SQLite, in the database file
or its log), the audit trail verifies, everything else in the practice is as it was, and
every other final document is as immutable as before.
"""

from __future__ import annotations

import html
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import csrf_token_from
from tests.factories import make_final_report, make_full_episode, make_patient, make_user
from tests.marked_record import make_marked_record
from tests.web.database_search import files_holding, rows_of, tables_holding
from therapy.extensions import db
from therapy.models import AuditEvent, AuditRedaction, DestructionRequest, Patient
from therapy.models.enums import AuditAction, DestructionStatus, Role

# Tables whose rows the test's own requests write (logins, form keys, the trail itself).
MOVING = {
    "audit_event",
    "audit_redaction",
    "destruction_request",
    "user_session",
    "form_submission",
    "login_failure",
    "recovery_code",
    "user_account",
}


def _post(client, url: str, data: dict[str, str], form_page: str | None = None):
    page = client.get(form_page or url)
    assert page.status_code == 200, (form_page or url, page.status_code)
    return client.post(url, data={"csrf_token": csrf_token_from(page.text), **data})


def grant_data(**overrides: str) -> dict[str, str]:
    """The therapist's form: the patient asked, no exception applies, granted."""
    return {
        "requested_on": "2026-11-30",
        "requested_by": "patient",
        "other_interest": "no",
        "legal_duty": "no",
        "decision": "grant",
        "reason": "Asked in writing; no one else's interest, no legal duty to keep.",
        **overrides,
    }


@pytest.fixture
def practice(app, login) -> SimpleNamespace:
    """An owner with a marked record and another patient, a colleague's record, an admin."""
    owner, colleague = make_user(full_name="Eva Owner"), make_user()
    admin = make_user(Role.PRACTICE_ADMIN, full_name="Ada Admin")
    marked = make_marked_record(owner, "Mrk")
    kept = make_marked_record(colleague, "Kpt")
    second = make_patient(owner)
    make_final_report(make_full_episode(second), version=2)
    db.session.commit()
    return SimpleNamespace(
        owner=owner,
        admin=admin,
        marked=marked,
        kept=kept,
        second=second,
        as_owner=login(owner, test_client=app.test_client()),
        as_admin=login(admin, test_client=app.test_client()),
    )


def _use_the_record(client, marked) -> None:
    """What happens to a record before it is destroyed: searched, read, copied, listed."""
    assert marked.family_name in client.get(f"/?q={marked.family_name}").text
    assert client.get("/").status_code == 200  # a caseload page is kept in memory
    assert client.get(f"/patients/{marked.patient.id}").status_code == 200
    copy = client.get(f"/patients/{marked.patient.id}/record/copy/download")
    assert copy.status_code == 200


def _final_document_refused(statement: str, document_id: int) -> bool:
    try:
        db.session.execute(text(statement), {"id": document_id})
        db.session.flush()
    except DBAPIError:
        db.session.rollback()
        return True
    db.session.rollback()
    return False


def test_destroyed_on_request_leaves_no_trace_and_the_rest_as_it_was(app, practice) -> None:
    w = practice
    patient_id, number = w.marked.patient.id, w.marked.patient.record_number
    name = w.marked.family_name
    _use_the_record(w.as_owner, w.marked)
    page = f"/patients/{patient_id}/record/destruction"

    # Step one: the therapist records the request and grants it. Nothing is destroyed yet.
    response = _post(w.as_owner, page, grant_data())
    assert response.status_code == 302
    assert db.session.get(Patient, patient_id) is not None
    register = w.as_admin.get("/admin/destruction").text
    assert number in register and "Eva Owner" in register

    # A wrong record number destroys nothing; the therapist cannot take the second step.
    request_id = db.session.scalar(select(DestructionRequest.id))
    confirm = "/admin/destruction/confirm"
    _post(
        w.as_admin,
        confirm,
        {"request_id": str(request_id), "record_number": "X1"},
        "/admin/destruction",
    )
    assert db.session.get(Patient, patient_id) is not None
    token = csrf_token_from(w.as_owner.get(page).text)
    refused = w.as_owner.post(
        confirm, data={"csrf_token": token, "request_id": str(request_id), "record_number": number}
    )
    assert refused.status_code == 403

    others = [name for name in db.metadata.tables if name not in MOVING]
    expected = rows_of(others, without_patient=patient_id)
    # Step two: the administrator confirms with the record number. The record goes.
    response = _post(
        w.as_admin,
        confirm,
        {"request_id": str(request_id), "record_number": number},
        "/admin/destruction",
    )
    assert response.status_code == 302
    db.session.expire_all()

    assert tables_holding(w.marked.markers) == {}
    assert files_holding(w.marked.markers) == {}
    # Everything else is as it was: the colleague's record, the second patient, the GPs...
    assert rows_of(others) == expected
    kept_now = {m for hits in tables_holding(w.kept.markers).values() for m in hits}
    assert kept_now == set(w.kept.markers)

    # The trail verifies, says who destroyed a record, and names nothing of what it held.
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "chain intact" in result.output, result.output
    destroyed = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.DELETE, AuditEvent.object_type == "patient"
        )
    ).all()
    assert len(destroyed) == 1 and destroyed[0].user_id == w.admin.id
    assert db.session.scalar(select(AuditRedaction.event_id)) is not None  # the search's query
    request = db.session.get(DestructionRequest, request_id)
    assert request.status == DestructionStatus.CARRIED_OUT
    assert (request.opened_by_id, request.confirmed_by_id) == (w.owner.id, w.admin.id)

    # The record is gone from every page, the caseload kept in memory included.
    assert w.as_owner.get(f"/patients/{patient_id}").status_code == 404
    assert name not in w.as_owner.get("/").text
    assert name not in repr(app.extensions["caseload_pages"]._pages)
    assert "destroyed" in w.as_admin.get("/admin/destruction").text

    # Every other final document is exactly as immutable as before, on this database too.
    for document_id in (w.kept.document_id, w.second.episodes[0].documents[-1].id):
        assert _final_document_refused("DELETE FROM document WHERE id = :id", document_id)
        assert _final_document_refused("UPDATE document SET pdf = NULL WHERE id = :id", document_id)


def test_the_administrator_first_and_the_therapist_as_second_person(app, practice) -> None:
    w = practice
    number = w.marked.patient.record_number
    response = _post(
        w.as_admin,
        "/admin/destruction/received",
        {
            "record_number": number.lower(),
            "requested_on": "2026-11-30",
            "requested_by": "representative",
        },
        "/admin/destruction",
    )
    assert response.status_code == 302
    request = db.session.scalar(select(DestructionRequest))
    assert request.status == DestructionStatus.AWAITING_DECISION
    # The one who opened it cannot complete it.
    _post(
        w.as_admin,
        "/admin/destruction/confirm",
        {"request_id": str(request.id), "record_number": number},
        "/admin/destruction",
    )
    assert db.session.get(Patient, w.marked.patient.id) is not None

    page = f"/patients/{w.marked.patient.id}/record/destruction"
    decision = {k: v for k, v in grant_data().items() if k not in ("requested_on", "requested_by")}
    # An exception applies: granting is refused, the typed reason stays in the form.
    shown = _post(w.as_owner, page, {**decision, "legal_duty": "yes", "record_number": number})
    assert shown.status_code == 200 and "An exception applies" in shown.text
    assert decision["reason"] in html.unescape(shown.text)
    # Granting without typing the record number destroys nothing.
    assert _post(w.as_owner, page, decision).status_code == 200
    assert db.session.get(Patient, w.marked.patient.id) is not None

    response = _post(w.as_owner, page, {**decision, "record_number": number})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    db.session.expire_all()
    assert tables_holding(w.marked.markers) == {}
    request = db.session.get(DestructionRequest, request.id)
    assert (request.opened_by_id, request.confirmed_by_id) == (w.admin.id, w.owner.id)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_a_refusal_is_recorded_and_the_record_stays(app, practice) -> None:
    w = practice
    page = f"/patients/{w.marked.patient.id}/record/destruction"
    reason = "A pending complaint: the record may be needed."
    response = _post(
        w.as_owner, page, grant_data(decision="refuse", other_interest="yes", reason=reason)
    )
    assert response.status_code == 302
    request = db.session.scalar(select(DestructionRequest))
    assert request.status == DestructionStatus.REFUSED and request.other_interest is True
    assert (
        reason in w.as_owner.get(page).text and reason in w.as_admin.get("/admin/destruction").text
    )
    assert db.session.get(Patient, w.marked.patient.id) is not None
    assert tables_holding(w.marked.markers[:3])  # the record is all there


def test_a_waiting_request_can_be_withdrawn(app, practice) -> None:
    w = practice
    page = f"/patients/{w.marked.patient.id}/record/destruction"
    _post(w.as_owner, page, grant_data())
    response = _post(w.as_owner, f"{page}/withdraw", {}, page)
    assert response.status_code == 302
    request = db.session.scalar(select(DestructionRequest))
    assert request.status == DestructionStatus.WITHDRAWN and request.withdrawn_by_id == w.owner.id
    # Withdrawn, it can no longer be confirmed; a new request can be recorded.
    _post(
        w.as_admin,
        "/admin/destruction/confirm",
        {"request_id": str(request.id), "record_number": w.marked.patient.record_number},
        "/admin/destruction",
    )
    assert db.session.get(Patient, w.marked.patient.id) is not None
    assert "Record a request and your decision" in w.as_owner.get(page).text


def test_the_administrators_forms_meet_hostile_input_calmly(app, practice) -> None:
    w = practice
    token = csrf_token_from(w.as_admin.get("/admin/destruction").text)
    hostile = (str(10**30), "-1", "0001-01-01", "a\x00b", "x" * 60_000, "<script>", "")
    forms = {
        "/admin/destruction/received": ("record_number", "requested_on", "requested_by"),
        "/admin/destruction/confirm": ("request_id", "record_number"),
        "/admin/destruction/withdraw": ("request_id",),
        "/admin/retention/propose": ("patient_id",),
    }
    for url, fields in forms.items():
        for value in hostile:
            response = w.as_admin.post(
                url, data={"csrf_token": token, **dict.fromkeys(fields, value)}
            )
            assert response.status_code == 302, (url, value[:20], response.status_code)
    assert db.session.get(Patient, w.marked.patient.id) is not None
    assert db.session.scalar(select(DestructionRequest.id)) is None


def test_the_destroyed_records_are_listed_for_after_a_restore(app, practice) -> None:
    w = practice
    patient_id = w.marked.patient.id
    page = f"/patients/{patient_id}/record/destruction"
    _post(w.as_owner, page, grant_data())
    request_id = db.session.scalar(select(DestructionRequest.id))
    _post(
        w.as_admin,
        "/admin/destruction/confirm",
        {"request_id": str(request_id), "record_number": w.marked.patient.record_number},
        "/admin/destruction",
    )
    result = app.test_cli_runner().invoke(args=["records", "destroyed"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].split("\t")[0] == str(patient_id)
    assert "records destroyed on request: 1" in result.output
