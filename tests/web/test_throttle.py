"""Login throttling shared by every worker (promise 4) and answers that reveal nothing."""

from __future__ import annotations

import re
import statistics
import time
from datetime import UTC, datetime, timedelta
from functools import cache

import time_machine
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import _make_app, csrf_token_from, login_password_only, totp_code_for
from tests.factories import PASSWORD, make_user
from therapy.extensions import db
from therapy.services.accounts import passwords

START = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def _try(client: FlaskClient, email: str, password: str):
    page = client.get("/login")
    return client.post(
        "/login",
        data={"csrf_token": csrf_token_from(page.text), "email": email, "password": password},
    )


def _message(html: str) -> str:
    match = re.search(r'class="field__error"[^>]*>([^<]*)<', html)
    return match.group(1) if match else ""


def test_five_failures_a_minute_then_even_the_right_password_waits(app: Flask) -> None:
    user = make_user()
    db.session.commit()
    client = app.test_client()
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(5):
            assert "not correct" in _message(_try(client, user.email, "wrong password!!").text)
        refused = _try(client, user.email, PASSWORD)
        assert refused.status_code == 200 and "Too many attempts" in _message(refused.text)
        clock.shift(timedelta(seconds=61))
        assert _try(client, user.email, PASSWORD).status_code == 302


def test_the_count_is_shared_by_separate_worker_processes(
    app: Flask, database_url, tmp_path
) -> None:
    """Two app instances (as two gunicorn workers) on one database share the count."""
    email = make_user().email
    db.session.commit()  # the test's own transaction must not hold SQLite's write lock
    second_worker = _make_app(database_url, tmp_path / "worker2")
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            _try(app.test_client(), email, "wrong password!!")
        with second_worker.app_context():
            worker_client = second_worker.test_client()
            for _ in range(2):
                _try(worker_client, email, "wrong password!!")
            refused = _try(worker_client, email, PASSWORD)
            db.session.remove()
            db.engine.dispose()
        assert "Too many attempts" in _message(refused.text)
        assert "Too many attempts" in _message(_try(app.test_client(), email, PASSWORD).text)


def test_the_code_step_is_throttled_too(app: Flask) -> None:
    user = make_user()
    db.session.commit()
    client = login_password_only(app.test_client(), user, PASSWORD)
    with time_machine.travel(datetime.now(UTC), tick=False):
        for _ in range(5):
            page = client.get("/login/code")
            client.post(
                "/login/code", data={"csrf_token": csrf_token_from(page.text), "code": "000000x"}
            )
        page = client.get("/login/code")
        response = client.post(
            "/login/code",
            data={"csrf_token": csrf_token_from(page.text), "code": totp_code_for(user)},
        )
        assert "Too many attempts" in response.text
        assert client.get("/").headers["Location"] == "/login/code"


def test_unknown_address_and_wrong_password_look_the_same(app: Flask) -> None:
    user = make_user()
    db.session.commit()
    unknown = _try(app.test_client(), "nobody@practice.example", "wrong password!!")
    wrong = _try(app.test_client(), user.email, "wrong password!!")
    assert unknown.status_code == wrong.status_code == 200
    assert _message(unknown.text) == _message(wrong.text) != ""
    strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731  (tokens, typed address)
    assert strip(unknown.text) == strip(wrong.text)
    assert set(unknown.headers.keys()) == set(wrong.headers.keys())


def test_unknown_address_and_wrong_password_take_the_same_time(app: Flask, monkeypatch) -> None:
    # With the real argon2 parameters, not the suite's cheap ones: the hash is the time.
    real = PasswordHasher()
    monkeypatch.setattr(passwords, "_hasher", real)
    monkeypatch.setattr(passwords, "_dummy_hash", cache(lambda: real.hash("dummy password x")))
    user = make_user(password_hash=real.hash(PASSWORD))
    db.session.commit()
    client = app.test_client()

    def timed(email: str) -> float:
        page = client.get("/login")
        token = csrf_token_from(page.text)
        started = time.perf_counter()
        client.post("/login", data={"csrf_token": token, "email": email, "password": "wrong!!"})
        return time.perf_counter() - started

    unknown, known = [], []
    for n in range(4):  # under the throttle: four of each, each address its own count
        unknown.append(timed(f"nobody{n}@practice.example"))
        known.append(timed(user.email))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.6 < ratio < 1.6, (unknown, known)


def _change_password(client: FlaskClient, current: str):
    page = client.get("/account/password")
    new = "a brand new passphrase 2026"
    return client.post(
        "/account/password",
        data={
            "csrf_token": csrf_token_from(page.text),
            "current_password": current,
            "new_password": new,
            "confirm": new,
        },
    )


def test_the_password_change_shares_the_login_throttle(app: Flask, login) -> None:
    """Finding 4: the current password on /account/password could be guessed without limit."""
    user = make_user()
    db.session.commit()
    client = login(user, test_client=app.test_client())
    with time_machine.travel(datetime.now(UTC), tick=False) as clock:
        for _ in range(5):
            assert "is not correct" in _change_password(client, "wrong password!!").text
        refused = _change_password(client, PASSWORD)
        assert refused.status_code == 200 and "Too many attempts" in refused.text
        # The login itself waits as well: the count is the account's, wherever it was checked.
        assert "Too many attempts" in _message(_try(app.test_client(), user.email, PASSWORD).text)
        clock.shift(timedelta(seconds=61))
        assert _change_password(client, PASSWORD).status_code == 302
