"""Sessions that really end (SECURITY.md promise 3): logout, timeouts, account changes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests import figures
from tests.conftest import csrf_token_from, login_password_only
from tests.factories import PASSWORD, make_patient, make_user
from therapy.extensions import db
from therapy.models import User, UserSession
from therapy.models.enums import Role
from therapy.services.accounts import admin as account_admin

COOKIE = "therapy_session"
START = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    return cookie.value


def _with_cookie(app: Flask, value: str) -> FlaskClient:
    thief = app.test_client()
    thief.set_cookie(COOKIE, value, domain="localhost")
    return thief


def _logged_in(client: FlaskClient) -> bool:
    return client.get("/").status_code == 200


def _logout(client: FlaskClient) -> None:
    token = csrf_token_from(client.get("/account/password").text)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def test_sessions_figure(app: Flask, login) -> None:
    """A copied cookie stops working at logout; no session id survives a login."""
    user = make_user()
    attacker = make_user()
    db.session.commit()
    replays = fixations = 0

    # Replay: a cookie copied while logged in works until logout, then never again.
    client = login(user, test_client=app.test_client())
    copied = _cookie(client)
    assert _logged_in(_with_cookie(app, copied))
    _logout(client)
    replays += _logged_in(_with_cookie(app, copied))
    replays += _with_cookie(app, copied).post("/session/keep-alive").status_code == 200

    # Fixation: the cookie changes at each step, and a planted cookie gives the planter nothing.
    victim = app.test_client()
    victim.get("/login")
    anonymous_cookie = _cookie(victim)
    login_password_only(victim, user, PASSWORD)
    half_cookie = _cookie(victim)
    login(user, test_client=victim)
    full_cookie = _cookie(victim)
    fixations += len({anonymous_cookie, half_cookie, full_cookie}) != 3
    fixations += _logged_in(_with_cookie(app, half_cookie))
    planted = login_password_only(app.test_client(), attacker, PASSWORD)
    planted_cookie = _cookie(planted)
    tricked = _with_cookie(app, planted_cookie)
    login(user, test_client=tricked)
    fixations += _cookie(tricked) == planted_cookie
    fixations += _logged_in(_with_cookie(app, planted_cookie))

    assert replays == 0 and fixations == 0
    figures.report("sessions", f"sessions: replay after logout {replays}, fixation {fixations}")


def test_the_cookie_holds_only_the_session_id(app: Flask, login) -> None:
    user = make_user()
    make_patient(user, family_name="Zwanenburg")
    db.session.commit()
    client = login(user, test_client=app.test_client())
    client.get("/")
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    data = serializer.loads(_cookie(client))
    assert set(data) <= {"sid", "csrf_token", "_flashes"}
    assert len(data["sid"]) >= 40  # a random id: nothing about the account
    assert user.email not in str(data) and user.session_token not in str(data)
    stored = db.session.scalars(select(UserSession.id)).all()
    assert data["sid"] not in stored  # the table holds a hash of it, not the id itself


def test_cookie_flags(app: Flask, login) -> None:
    user = make_user()
    db.session.commit()
    client = app.test_client()
    page = client.get("/login")
    logged_in = client.post(
        "/login",
        data={"csrf_token": csrf_token_from(page.text), "email": user.email, "password": PASSWORD},
    )
    for header in (page.headers["Set-Cookie"], logged_in.headers["Set-Cookie"]):
        assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header
    app.config["SESSION_COOKIE_SECURE"] = True
    secure = app.test_client().get("/login", base_url="https://localhost")
    assert "Secure" in secure.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in secure.headers


def test_fifteen_minutes_idle_locks_the_screen_two_hours_idle_ends_the_login(
    app: Flask, login
) -> None:
    user = make_user()
    make_patient(user, family_name="Zwanenburg")
    db.session.commit()
    with time_machine.travel(START, tick=False) as clock:
        client = login(user, test_client=app.test_client())
        clock.shift(timedelta(minutes=14))
        assert _logged_in(client)
        clock.shift(timedelta(minutes=14))
        assert _logged_in(client), "each request counts as activity"
        clock.shift(timedelta(minutes=15, seconds=5))
        locked = client.get("/")
        assert locked.status_code == 423 and "Screen locked" in locked.text
        assert "Zwanenburg" not in locked.text, "a locked login sees no patient data"
        assert db.session.scalar(select(func.count(UserSession.id))) == 1, "locked, not ended"
        clock.shift(timedelta(minutes=100))
        assert client.get("/").status_code == 423, "requests while locked are not activity"
        clock.shift(timedelta(minutes=5))  # two hours since the last activity
        response = client.get("/")
        assert response.headers["Location"].startswith("/login")
        assert "session ended" in client.get(response.headers["Location"]).text
        assert db.session.scalar(select(func.count(UserSession.id))) == 0


def test_typing_in_a_long_form_keeps_the_session_alive(app: Flask, login) -> None:
    user = make_user()
    db.session.commit()
    with time_machine.travel(START, tick=False) as clock:
        client = login(user, test_client=app.test_client())
        token = csrf_token_from(client.get("/account/password").text)
        for _ in range(5):  # fifty minutes of typing, a ping now and then, no page load
            clock.shift(timedelta(minutes=10))
            ping = client.post("/session/keep-alive", headers={"X-CSRFToken": token})
            assert ping.status_code == 200
            answer = ping.get_json()
            assert answer["locked"] is False
            assert 890 <= answer["lock_seconds_left"] <= 900
            assert 7190 <= answer["seconds_left"] <= 7200
        assert _logged_in(client)
        refused = client.post("/session/keep-alive")
        assert refused.status_code == 400, "the ping needs its CSRF token"


def test_absolute_limit_of_twelve_hours(app: Flask, login) -> None:
    user = make_user()
    db.session.commit()
    with time_machine.travel(START, tick=False) as clock:
        client = login(user, test_client=app.test_client())
        for _ in range(71):  # eleven hours fifty minutes of constant activity
            clock.shift(timedelta(minutes=10))
            assert _logged_in(client)
        clock.shift(timedelta(minutes=10, seconds=1))
        assert not _logged_in(client)


def test_a_password_only_session_expires_after_ten_minutes(app: Flask) -> None:
    user = make_user()
    db.session.commit()
    with time_machine.travel(START, tick=False) as clock:
        client = login_password_only(app.test_client(), user, PASSWORD)
        clock.shift(timedelta(minutes=10, seconds=1))
        assert client.get("/login/code").headers["Location"].startswith("/login")


def test_changing_the_password_logs_out_every_other_session(app: Flask, login) -> None:
    user = make_user()
    db.session.commit()
    laptop = login(user, test_client=app.test_client())
    phone = login(user, test_client=app.test_client())
    page = laptop.get("/account/password")
    response = laptop.post(
        "/account/password",
        data={
            "csrf_token": csrf_token_from(page.text),
            "current_password": PASSWORD,
            "new_password": "a new and private sentence 7",
            "confirm": "a new and private sentence 7",
        },
    )
    assert response.status_code == 302
    assert _logged_in(laptop)
    assert not _logged_in(phone)
    login(user, password="a new and private sentence 7", test_client=phone)
    assert _logged_in(phone)


def test_a_common_new_password_is_refused_and_nothing_changes(app: Flask, login) -> None:
    user = make_user()
    db.session.commit()
    client = login(user, test_client=app.test_client())
    page = client.get("/account/password")
    response = client.post(
        "/account/password",
        data={
            "csrf_token": csrf_token_from(page.text),
            "current_password": PASSWORD,
            "new_password": "password1234",
            "confirm": "password1234",
        },
    )
    assert response.status_code == 200 and "too common" in response.text
    assert _logged_in(client)


def test_role_change_and_deactivation_end_every_session(app: Flask, login) -> None:
    admin = make_user(Role.PRACTICE_ADMIN)
    moved = make_user()
    leaver = make_user()
    db.session.commit()
    moved_client = login(moved, test_client=app.test_client())
    leaver_client = login(leaver, test_client=app.test_client())
    account_admin.change_role(db.session.get(User, moved.id), admin, Role.PRACTICE_ADMIN, None)
    account_admin.deactivate(db.session.get(User, leaver.id), admin)
    db.session.commit()
    assert not _logged_in(moved_client)
    assert not _logged_in(leaver_client)
    assert (
        db.session.scalar(
            select(func.count(UserSession.id)).where(UserSession.user_id.in_([moved.id, leaver.id]))
        )
        == 0
    )


def test_activity_is_written_at_most_every_twenty_seconds(app: Flask, login) -> None:
    """Page views do not write to the session each time; the idle clock stays right to 20 s."""
    app.config["SESSION_TOUCH_SECONDS"] = 20
    user = make_user()
    db.session.commit()

    def last_seen() -> datetime:
        db.session.expire_all()
        return db.session.scalar(select(UserSession.last_seen_at))

    with time_machine.travel(START, tick=False) as clock:
        client = login(user, test_client=app.test_client())
        first = last_seen()
        clock.shift(timedelta(seconds=5))
        client.get("/account/password")
        assert last_seen() == first
        clock.shift(timedelta(seconds=20))
        client.get("/account/password")
        assert last_seen() == START + timedelta(seconds=25)


def _meta_seconds_left(html: str) -> int:
    match = re.search(r'<meta name="session-seconds-left" content="(\d+)">', html)
    assert match, "the page tells session.js how long the login has left"
    return int(match.group(1))


def test_the_page_serves_the_real_seconds_left_near_the_twelve_hour_limit(
    app: Flask, login
) -> None:
    user = make_user()
    db.session.commit()
    with time_machine.travel(START, tick=False) as clock:
        client = login(user, test_client=app.test_client())
        assert _meta_seconds_left(client.get("/account/password").text) == 7200
        for _ in range(71):  # active all day: eleven hours fifty minutes
            clock.shift(timedelta(minutes=10))
            assert _logged_in(client)
        clock.shift(timedelta(minutes=5))
        assert _meta_seconds_left(client.get("/account/password").text) == 300


def test_asking_the_time_left_is_not_activity(app: Flask, login) -> None:
    user = make_user()
    db.session.commit()
    with time_machine.travel(START, tick=False) as clock:
        client = login(user, test_client=app.test_client())
        token = csrf_token_from(client.get("/account/password").text)
        headers = {"X-CSRFToken": token, "X-Session-Status-Only": "1"}

        def ask() -> dict:
            answer = client.post("/session/keep-alive", headers=headers)
            assert answer.status_code == 200
            return answer.get_json()

        clock.shift(timedelta(minutes=10))
        assert ask()["lock_seconds_left"] == 300
        clock.shift(timedelta(minutes=4))
        assert ask()["lock_seconds_left"] == 60
        clock.shift(timedelta(minutes=1, seconds=5))
        asked = ask()
        assert asked["locked"] is True and asked["lock_seconds_left"] == 0
        assert asked["seconds_left"] == 2 * 3600 - 905
        assert client.get("/").status_code == 423
        clock.shift(timedelta(seconds=asked["seconds_left"] + 5))
        assert client.post("/session/keep-alive", headers=headers).status_code == 302
        assert not _logged_in(client)


def test_two_requests_ending_the_same_expired_session_both_answer(
    app: Flask, backend: str, database_url: str
) -> None:
    """Two tabs of one browser may both find the expired row; the second deletes nothing.

    Here another connection deletes the row between this lookup's read and its delete (on
    SQLite the lookup holds the write lock, so the other deletes first instead).
    """
    from sqlalchemy import create_engine, text

    from therapy.services.accounts import login_sessions

    user = make_user()
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    token = login_sessions.start_session(user, verified=True, now=long_ago)
    db.session.commit()
    digest = login_sessions._digest(token)
    other = create_engine(database_url)

    def other_tab_deletes(*_args: object) -> None:
        with other.begin() as connection:
            connection.execute(text("DELETE FROM user_session WHERE id = :id"), {"id": digest})

    try:
        found = _lookup_while_another_tab_deletes(backend, token, other_tab_deletes)
    finally:
        other.dispose()
    db.session.commit()
    assert found.record is None and found.ended is not None
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


def _lookup_while_another_tab_deletes(backend: str, token: str, other_tab_deletes):
    from sqlalchemy import event

    from therapy.access.gate import timeouts
    from therapy.services.accounts import login_sessions

    if backend == "sqlite":
        other_tab_deletes()
        found = login_sessions.find_session(token, timeouts())
    else:
        engine = db.engine
        statement_seen = []

        def after_lookup(_conn, _cursor, statement, *_rest) -> None:
            if "FROM user_session" in statement and not statement_seen:
                statement_seen.append(statement)
                other_tab_deletes()

        event.listen(engine, "after_cursor_execute", after_lookup)
        try:
            found = login_sessions.find_session(token, timeouts())
        finally:
            event.remove(engine, "after_cursor_execute", after_lookup)
        assert statement_seen
    return found
