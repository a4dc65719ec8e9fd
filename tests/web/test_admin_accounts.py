"""The practice administrator manages accounts and reads the audit log, never clinical notes."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from tests.conftest import csrf_token_from, login_password_only
from tests.factories import PASSWORD, make_patient, make_user
from therapy.extensions import db
from therapy.models import AuditEvent, User
from therapy.models.enums import AuditAction, Role
from therapy.services.accounts import two_factor


def test_create_an_account_with_the_password_policy(app: Flask, login) -> None:
    admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    client = login(admin)
    page = client.get("/admin/accounts/new")
    form = {
        "csrf_token": csrf_token_from(page.text),
        "full_name": "Noor Haddad",
        "email": "Noor@Practice.example",
        "role": "therapist",
        "profession": "exercise_therapist",
        "registration_number": "KRF 123",
        "password": "password2024",
        "confirm": "password2024",
    }
    refused = client.post("/admin/accounts/new", data=form)
    assert refused.status_code == 200 and "too common" in refused.text
    assert "Noor Haddad" in refused.text, "what was typed stays in the form"
    assert db.session.scalar(select(User).where(User.email == "noor@practice.example")) is None
    form.update(password="a walk along the canal at dusk", confirm="a walk along the canal at dusk")
    created = client.post("/admin/accounts/new", data=form)
    assert created.status_code == 302
    noor = db.session.scalar(select(User).where(User.email == "noor@practice.example"))
    assert noor is not None and noor.role == Role.THERAPIST and not two_factor.is_enrolled(noor)
    # The new person must set up an authenticator before reaching anything.
    first = login_password_only(app.test_client(), noor, "a walk along the canal at dusk")
    assert first.get("/login/code").headers["Location"] == "/login/enrol"
    assert db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.ACCOUNT, AuditEvent.object_id == noor.id
        )
    )


def test_a_therapist_needs_a_profession(app: Flask, login) -> None:
    admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    client = login(admin)
    page = client.get("/admin/accounts/new")
    response = client.post(
        "/admin/accounts/new",
        data={
            "csrf_token": csrf_token_from(page.text),
            "full_name": "No Profession",
            "email": "np@practice.example",
            "role": "therapist",
            "profession": "",
            "password": "a walk along the canal at dusk",
            "confirm": "a walk along the canal at dusk",
        },
    )
    assert response.status_code == 200 and "profession" in response.text


def test_deactivate_ends_sessions_and_login_then_reactivate(app: Flask, login) -> None:
    admin, therapist = make_user(Role.PRACTICE_ADMIN), make_user()
    db.session.commit()
    theirs = login(therapist, test_client=app.test_client())
    client = login(admin)
    page = client.get(f"/admin/accounts/{therapist.id}")
    client.post(
        f"/admin/accounts/{therapist.id}/deactivate",
        data={"csrf_token": csrf_token_from(page.text)},
    )
    assert theirs.get("/").headers["Location"].startswith("/login")
    again = app.test_client()
    page = again.get("/login")
    refused = again.post(
        "/login",
        data={
            "csrf_token": csrf_token_from(page.text),
            "email": therapist.email,
            "password": PASSWORD,
        },
    )
    assert refused.status_code == 200 and "not correct" in refused.text
    page = client.get(f"/admin/accounts/{therapist.id}")
    client.post(
        f"/admin/accounts/{therapist.id}/reactivate",
        data={"csrf_token": csrf_token_from(page.text)},
    )
    assert login(therapist, test_client=app.test_client()).get("/").status_code == 200


def test_reset_two_factor_makes_the_person_enrol_again(app: Flask, login) -> None:
    admin, therapist = make_user(Role.PRACTICE_ADMIN), make_user()
    db.session.commit()
    theirs = login(therapist, test_client=app.test_client())
    client = login(admin)
    page = client.get(f"/admin/accounts/{therapist.id}")
    client.post(
        f"/admin/accounts/{therapist.id}/reset-two-factor",
        data={"csrf_token": csrf_token_from(page.text)},
    )
    assert theirs.get("/").headers["Location"].startswith("/login")
    fresh = login_password_only(app.test_client(), therapist, PASSWORD)
    assert fresh.get("/login/code").headers["Location"] == "/login/enrol"


def test_change_role_ends_sessions_but_not_for_a_therapist_with_patients(app: Flask, login) -> None:
    admin, busy, idle = make_user(Role.PRACTICE_ADMIN), make_user(), make_user()
    make_patient(busy)
    db.session.commit()
    idle_client = login(idle, test_client=app.test_client())
    client = login(admin)
    for user, expected in ((busy, "still has patients"), (idle, "has been changed")):
        page = client.get(f"/admin/accounts/{user.id}")
        response = client.post(
            f"/admin/accounts/{user.id}",
            data={
                "csrf_token": csrf_token_from(page.text),
                "role": "practice_admin",
                "profession": "",
            },
            follow_redirects=True,
        )
        assert expected in response.text
    db.session.expire_all()
    assert db.session.get(User, busy.id).role == Role.THERAPIST
    assert db.session.get(User, idle.id).role == Role.PRACTICE_ADMIN
    assert idle_client.get("/").headers["Location"].startswith("/login")


def test_an_administrator_cannot_lock_themselves_out(app: Flask, login) -> None:
    admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    client = login(admin)
    page = client.get(f"/admin/accounts/{admin.id}")
    assert "Deactivate account" not in page.text
    response = client.post(
        f"/admin/accounts/{admin.id}/deactivate",
        data={"csrf_token": csrf_token_from(page.text)},
        follow_redirects=True,
    )
    assert "cannot deactivate your own account" in response.text
    db.session.expire_all()
    assert db.session.get(User, admin.id).is_active


def test_the_audit_search_filters_and_pages(app: Flask, login) -> None:
    from therapy.audit.chain import Actor, record_event

    admin, eva, daan = make_user(Role.PRACTICE_ADMIN), make_user(), make_user(full_name="Daan K")
    for n in range(60):
        record_event(AuditAction.READ, actor=Actor(user_id=eva.id), patient_id=1000 + n % 3)
    record_event(AuditAction.SEARCH, actor=Actor(user_id=daan.id), detail="1 found for: Smit")
    db.session.commit()
    client = login(admin)
    everything = client.get("/admin/audit")
    assert "Page 1 of" in everything.text
    by_daan = client.get(f"/admin/audit?user={daan.id}")
    assert "1 event" in by_daan.text and "1 found · query hidden" in by_daan.text
    assert "Smit" not in by_daan.text  # what a therapist searched for is clinical content
    by_patient = client.get("/admin/audit?patient_id=1001&action=read")
    assert "20 events" in by_patient.text
    later = client.get("/admin/audit?action=read&page=2")
    assert "Page 2 of 2" in later.text
    bad = client.get("/admin/audit?date_from=1850-01-01&patient_id=abc")
    assert bad.status_code == 200 and "1900" in bad.text


def test_the_admin_sees_that_a_search_happened_but_not_what_was_typed(app: Flask, login) -> None:
    from therapy.audit.chain import Actor, record_event

    admin, therapist = make_user(Role.PRACTICE_ADMIN), make_user(full_name="Eva Therapist")
    patient = make_patient(therapist, family_name="Verbeek", record_number="VB-0042")
    db.session.commit()
    as_therapist = login(therapist, test_client=app.test_client())
    assert "Verbeek" in as_therapist.get("/?q=verbeek").text
    assert "VB-0042" in as_therapist.get("/?q=VB-00").text
    # A detail a later feature might write about a patient (a file name, say) is withheld too.
    record_event(
        AuditAction.EXPORT,
        actor=Actor(user_id=therapist.id),
        patient_id=patient.id,
        detail="Verbeek treatment report.pdf",
    )
    db.session.commit()
    page = login(admin).get(f"/admin/audit?user={therapist.id}")
    assert page.status_code == 200
    assert "Searched" in page.text and "Eva Therapist" in page.text
    assert page.text.count("1 found · query hidden") == 2
    assert "details hidden" in page.text and "Exported" in page.text
    for typed in ("verbeek", "Verbeek", "VB-00"):
        assert typed not in page.text, typed
    # The trail itself keeps the query: the record is complete, only the admin's view is not.
    stored = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == AuditAction.SEARCH)
    ).all()
    assert sorted(stored) == ["1 found for: VB-00", "1 found for: verbeek"]
    # Account events carry no patient data, so their detail stays readable.
    record_event(AuditAction.ACCOUNT, actor=Actor(user_id=admin.id), detail="deactivated")
    db.session.commit()
    accounts = login(admin, test_client=app.test_client()).get("/admin/audit?action=account")
    assert "deactivated" in accounts.text and "details hidden" not in accounts.text
