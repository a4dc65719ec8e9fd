"""Login, logout and the login gate."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import csrf_token_from, totp_code_for
from tests.factories import PASSWORD, make_patient, make_user
from therapy.extensions import db
from therapy.models import User


def _post_login(client: FlaskClient, email: str, password: str, next_url: str | None = None):
    page = client.get("/login")
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(
        url, data={"csrf_token": csrf_token_from(page.text), "email": email, "password": password}
    )


def _second_step(client: FlaskClient, user: User):
    page = client.get("/login/code")
    return client.post(
        "/login/code",
        data={"csrf_token": csrf_token_from(page.text), "code": totp_code_for(user)},
    )


def test_password_and_code_reach_today_and_the_caseload(app: Flask, client) -> None:
    user = make_user()
    make_patient(user, family_name="Visser")
    response = _post_login(client, user.email.upper(), PASSWORD)
    assert response.headers["Location"] == "/login/code"
    assert client.get("/").status_code == 302  # a password alone reaches no patient data
    response = _second_step(client, user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/today"  # the start page: today's sessions
    assert "Visser" in client.get("/").text


def test_unknown_address_and_wrong_password_get_the_same_answer(app: Flask, client) -> None:
    user = make_user()
    wrong = _post_login(client, user.email, "not the password at all")
    unknown = _post_login(client, "nobody@practice.example", "not the password at all")
    assert wrong.status_code == unknown.status_code == 200
    message = "The e-mail address or password is not correct."
    assert message in wrong.text and message in unknown.text
    assert client.get("/").status_code == 302  # still not logged in


def test_deactivated_account_cannot_log_in(app: Flask, client) -> None:
    user = make_user(is_active=False)
    response = _post_login(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_login_returns_to_the_page_asked_for(app: Flask, client) -> None:
    user = make_user()
    patient = make_patient(user)
    first = client.get(f"/patients/{patient.id}")
    assert first.headers["Location"] == f"/login?next=/patients/{patient.id}"
    _post_login(client, user.email, PASSWORD, next_url=f"/patients/{patient.id}")
    response = _second_step(client, user)
    assert response.headers["Location"] == f"/patients/{patient.id}"


def test_login_never_redirects_to_another_site(app: Flask) -> None:
    user = make_user()
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        client = app.test_client()
        _post_login(client, user.email, PASSWORD, next_url=target)
        response = _second_step(client, user)
        assert response.headers["Location"] == "/today", target


def test_logout_is_a_post_with_a_csrf_token(app: Flask, client, login) -> None:
    user = make_user()
    login(user)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no token: refused, still logged in
    assert client.get("/").status_code == 200
    token = csrf_token_from(client.get("/").text)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_a_copied_cookie_stops_working_when_the_account_ends_its_sessions(
    app: Flask, client, login
) -> None:
    user = make_user()
    login(user)
    cookie = client.get_cookie("therapy_session")
    assert cookie is not None
    db.session.get(User, user.id).end_all_sessions()
    db.session.commit()
    thief = app.test_client()
    thief.set_cookie(cookie.key, cookie.value)
    assert thief.get("/").status_code == 302
    assert client.get("/").status_code == 302


def test_login_form_shows_labels_and_a_form_expired_page_keeps_its_promise(
    app: Flask, client
) -> None:
    page = client.get("/login").text
    assert 'for="email"' in page and 'for="password"' in page
    expired = client.post("/login", data={"email": "a@b.c", "password": "not-shown-again"})
    assert expired.status_code == 400
    # The login form comes back with the address typed, never the password.
    assert "Not saved yet" in expired.text
    assert 'value="a@b.c"' in expired.text and "not-shown-again" not in expired.text
