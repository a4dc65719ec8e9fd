"""An administrator who knows an account's way in still reaches none of its patients.

The administrator chooses the first password of an account they create, and may reset its
two-factor login. Either way the next full login of that account reaches only the password
change until a new password has been chosen.
"""

from __future__ import annotations

import re

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import csrf_token_from, login_password_only
from tests.factories import PASSWORD, make_patient, make_user
from tests.web.access import (
    PASSWORD_CHANGE_ENDPOINTS,
    SECOND_STEP_ENDPOINTS,
    build_url,
    methods,
    protected_rules,
)
from tests.web.test_access_matrix import _world
from therapy.extensions import db
from therapy.models import Patient, User
from therapy.models.enums import Role

FIRST = "a walk along the canal at dusk"
OWN = "my own sentence nobody else knows"


def _create_account(admin_client: FlaskClient) -> User:
    page = admin_client.get("/admin/accounts/new")
    created = admin_client.post(
        "/admin/accounts/new",
        data={
            "csrf_token": csrf_token_from(page.text),
            "full_name": "Noor Haddad",
            "email": "noor@practice.example",
            "role": "therapist",
            "profession": "exercise_therapist",
            "password": FIRST,
            "confirm": FIRST,
        },
    )
    assert created.status_code == 302, created.text
    user = db.session.scalar(select(User).where(User.email == "noor@practice.example"))
    assert user is not None
    return user


def _enrol(client: FlaskClient) -> None:
    """Finish a first login by connecting an authenticator, as whoever logs in would."""
    page = client.get("/login/enrol")
    secret = re.search(r'class="secret-key"><code>([A-Z2-7 ]+)</code>', page.text)
    assert secret, page.text
    done = client.post(
        "/login/enrol",
        data={
            "csrf_token": csrf_token_from(page.text),
            "code": pyotp.TOTP(secret.group(1).replace(" ", "")).now(),
        },
    )
    assert done.status_code == 200, done.text


def _assert_held_on_password_page(client: FlaskClient, patient: Patient) -> None:
    for url in ("/", f"/patients/{patient.id}", f"/patients/{patient.id}/access-log"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == "/account/password", url
        assert patient.family_name not in response.text
    edit = client.post(f"/patients/{patient.id}/edit", data={"family_name": "Changed"})
    assert edit.headers["Location"] == "/account/password"
    page = client.get("/account/password")
    assert page.status_code == 200 and "Choose a new password of your own" in page.text
    assert patient.family_name not in page.text


def _change_password(client: FlaskClient, current: str, new: str):
    page = client.get("/account/password")
    return client.post(
        "/account/password",
        data={
            "csrf_token": csrf_token_from(page.text),
            "current_password": current,
            "new_password": new,
            "confirm": new,
        },
    )


def test_an_admin_with_the_first_password_reads_no_patient(app: Flask, login) -> None:
    admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    user = _create_account(login(admin))
    assert user.must_change_password is True
    patient = make_patient(user, family_name="Takeover-Target")
    db.session.commit()
    intruder = login_password_only(app.test_client(), user, FIRST)
    _enrol(intruder)
    _assert_held_on_password_page(intruder, patient)
    # Typing the administrator's password again as the "new" one does not release the account.
    same = _change_password(intruder, FIRST, FIRST)
    assert same.status_code == 200 and "different from the current one" in same.text
    assert intruder.get(f"/patients/{patient.id}").headers["Location"] == "/account/password"
    db.session.expire_all()
    assert db.session.get(User, user.id).must_change_password is True


def test_an_admin_who_resets_two_factor_reads_no_patient(app: Flask, login) -> None:
    admin, therapist = make_user(Role.PRACTICE_ADMIN), make_user()
    patient = make_patient(therapist, family_name="Reset-Target")
    db.session.commit()
    assert therapist.must_change_password is False
    client = login(admin)
    page = client.get(f"/admin/accounts/{therapist.id}")
    client.post(
        f"/admin/accounts/{therapist.id}/reset-two-factor",
        data={"csrf_token": csrf_token_from(page.text)},
    )
    db.session.expire_all()
    assert db.session.get(User, therapist.id).must_change_password is True
    # Suppose the administrator knows (or guessed) the password: enrolling their own phone
    # still leads only to the password change.
    intruder = login_password_only(app.test_client(), therapist, PASSWORD)
    _enrol(intruder)
    _assert_held_on_password_page(intruder, patient)


def test_the_person_chooses_a_password_and_reaches_the_caseload(app: Flask, login) -> None:
    admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    user = _create_account(login(admin))
    patient = make_patient(user, family_name="Own-Patient")
    db.session.commit()
    other = login_password_only(app.test_client(), user, FIRST)
    _enrol(other)
    assert other.get("/").headers["Location"] == "/account/password"
    person = login(user, password=FIRST, test_client=app.test_client())
    changed = _change_password(person, FIRST, OWN)
    assert changed.status_code == 302 and changed.headers["Location"] == "/"
    db.session.expire_all()
    assert db.session.get(User, user.id).must_change_password is False
    assert patient.family_name in person.get("/").text
    assert person.get(f"/patients/{patient.id}").status_code == 200
    # Every other login of the account ended with the change, as any password change does.
    assert other.get("/").headers["Location"].startswith("/login")
    count = db.session.scalar(select(func.count(User.id)).where(User.must_change_password))
    assert count == 0


def test_a_login_that_must_change_its_password_reaches_no_other_route(app: Flask, login) -> None:
    """Generated from the URL map: every GET but the password page sends it there."""
    owner = make_user(must_change_password=True)
    world = _world(owner)
    db.session.commit()
    client = login(owner)
    reached = []
    for rule in protected_rules(app):
        exempt = SECOND_STEP_ENDPOINTS | PASSWORD_CHANGE_ENDPOINTS
        if "GET" not in methods(rule) or rule.endpoint in exempt:
            continue
        response = client.get(build_url(rule, world.ids))
        if response.headers.get("Location") != "/account/password":
            reached.append(f"{rule.rule}: {response.status_code}")
        if any(secret in response.text for secret in world.secrets):
            reached.append(f"{rule.rule}: shows the patient")
    assert reached == []
