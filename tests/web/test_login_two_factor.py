"""Logging in takes a password and a code; first-time users set up their authenticator."""

from __future__ import annotations

import re

import pyotp
from sqlalchemy import func, select

from tests.conftest import csrf_token_from, login_password_only, totp_code_for
from tests.factories import PASSWORD, make_patient, make_user
from therapy.extensions import db
from therapy.models import AuditEvent, RecoveryCode, User
from therapy.models.enums import AuditAction, AuditOutcome


def _post_code(client, code: str):
    page = client.get("/login/code")
    return client.post("/login/code", data={"csrf_token": csrf_token_from(page.text), "code": code})


def test_password_then_code_reaches_the_caseload(app, client) -> None:
    user = make_user()
    patient = make_patient(user)
    db.session.commit()
    login_password_only(client, user, PASSWORD)
    assert client.get("/").headers["Location"] == "/login/code"
    response = _post_code(client, totp_code_for(user))
    assert response.status_code == 302 and response.headers["Location"] == "/today"
    assert patient.family_name in client.get("/").text
    assert db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.action == AuditAction.LOGIN,
            AuditEvent.user_id == user.id,
            AuditEvent.outcome == AuditOutcome.SUCCESS,
        )
    )


def test_the_same_code_does_not_work_twice(app, client, login) -> None:
    user = make_user()
    db.session.commit()
    code = totp_code_for(user)
    login_password_only(client, user, PASSWORD)
    assert _post_code(client, code).status_code == 302
    second = app.test_client()
    login_password_only(second, user, PASSWORD)
    response = _post_code(second, code)
    assert response.status_code == 200
    assert "used already" in response.text
    assert second.get("/").headers["Location"] == "/login/code"


def test_a_wrong_code_keeps_the_session_half_logged_in(app, client) -> None:
    user = make_user()
    db.session.commit()
    login_password_only(client, user, PASSWORD)
    right = totp_code_for(user)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = _post_code(client, wrong)
    assert response.status_code == 200 and "not right" in response.text
    assert client.get("/").status_code == 302


def test_a_recovery_code_replaces_the_app_once(app, client) -> None:
    from therapy.services.accounts.two_factor import new_recovery_codes

    user = make_user()
    codes = new_recovery_codes(user)
    db.session.commit()
    login_password_only(client, user, PASSWORD)
    assert _post_code(client, codes[0]).status_code == 302
    again = app.test_client()
    login_password_only(again, user, PASSWORD)
    assert _post_code(again, codes[0]).status_code == 200
    assert _post_code(again, codes[1]).status_code == 302


def test_first_login_enrols_with_a_qr_code_and_shows_recovery_codes_once(app, client) -> None:
    user = make_user(enrolled=False)
    patient = make_patient(user)
    db.session.commit()
    login_password_only(client, user, PASSWORD)
    assert client.get("/").headers["Location"] == "/login/code"
    assert client.get("/login/code").headers["Location"] == "/login/enrol"
    page = client.get("/login/enrol")
    assert page.status_code == 200
    assert "<svg" in page.text and "<path" in page.text  # the QR code, inline
    shown = re.search(r'class="secret-key"><code>([A-Z2-7 ]+)</code>', page.text)
    assert shown, "the key is shown as text for typing by hand"
    secret = shown.group(1).replace(" ", "")
    assert patient.family_name not in page.text
    assert client.get(f"/patients/{patient.id}").headers["Location"] == "/login/code"
    done = client.post(
        "/login/enrol",
        data={"csrf_token": csrf_token_from(page.text), "code": pyotp.TOTP(secret).now()},
    )
    assert done.status_code == 200
    codes = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", done.text)
    assert len(codes) == 10
    assert db.session.scalar(select(func.count(RecoveryCode.id))) == 10
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert not set(codes) & set(stored)
    assert patient.family_name in client.get("/").text
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_enrolled_at is not None


def test_enrolment_refuses_a_wrong_code_and_stays_half_logged_in(app, client) -> None:
    user = make_user(enrolled=False)
    db.session.commit()
    login_password_only(client, user, PASSWORD)
    page = client.get("/login/enrol")
    response = client.post(
        "/login/enrol", data={"csrf_token": csrf_token_from(page.text), "code": "12345x"}
    )
    assert response.status_code == 200 and "not right" in response.text
    assert client.get("/").headers["Location"] == "/login/code"


def test_no_account_is_exempt_administrators_included(app, client) -> None:
    from therapy.models.enums import Role

    admin = make_user(Role.PRACTICE_ADMIN, enrolled=False)
    db.session.commit()
    login_password_only(client, admin, PASSWORD)
    assert client.get("/admin/accounts").headers["Location"] == "/login/code"
    assert client.get("/login/code").headers["Location"] == "/login/enrol"


def test_next_survives_both_steps_but_only_to_this_site(app, client) -> None:
    user = make_user()
    patient = make_patient(user)
    db.session.commit()
    target = f"/patients/{patient.id}"
    assert client.get(target).headers["Location"] == f"/login?next={target}"
    page = client.get(f"/login?next={target}")
    client.post(
        f"/login?next={target}",
        data={"csrf_token": csrf_token_from(page.text), "email": user.email, "password": PASSWORD},
    )
    assert _post_code(client, totp_code_for(user)).headers["Location"] == target
    other = make_user()
    db.session.commit()
    evil = app.test_client()
    page = evil.get("/login?next=//evil.example/")
    evil.post(
        "/login?next=//evil.example/",
        data={"csrf_token": csrf_token_from(page.text), "email": other.email, "password": PASSWORD},
    )
    assert _post_code(evil, totp_code_for(other)).headers["Location"] == "/today"
