"""The screen lock (SECURITY.md promise 3): 15 minutes idle locks every tab of a login, the
server refuses it patient data over the whole url_map, and the password alone unlocks it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from tests import figures
from tests.conftest import csrf_token_from
from tests.factories import PASSWORD, make_full_episode, make_patient, make_user
from tests.web.access import LOCKED_ENDPOINTS, build_url, methods, protected_rules, row_counts
from tests.web.test_access_matrix import BODY_ADDRESSED, _named_page, _world
from therapy.extensions import db
from therapy.models import AuditEvent, FormDraft, UserSession
from therapy.models.enums import AuditAction, AuditOutcome

COOKIE = "therapy_session"


def _idle(minutes: int) -> None:
    """Every login was last active this many minutes ago."""
    db.session.execute(
        update(UserSession).values(last_seen_at=datetime.now(UTC) - timedelta(minutes=minutes))
    )
    db.session.commit()


def _tab_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """A second tab of the same browser: the same login cookie."""
    tab = app.test_client()
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    tab.set_cookie(COOKIE, cookie.value, domain="localhost")
    return tab


def _token(client: FlaskClient) -> str:
    """The CSRF token the lock screen carries."""
    page = client.get("/account/password")
    assert page.status_code in (200, 423)
    return csrf_token_from(page.text)


def _unlock(client: FlaskClient, password: str, **extra: str):
    return client.post(
        "/session/unlock", data={"csrf_token": _token(client), "password": password, **extra}
    )


@pytest.fixture
def therapist(app):
    user = make_user()
    db.session.commit()
    return user


def test_the_password_alone_unlocks_and_the_page_comes_back(app, login, therapist) -> None:
    patient = make_patient(therapist, family_name="Zwanenburg")
    db.session.commit()
    client = login(therapist, test_client=app.test_client())
    page = f"/patients/{patient.id}"
    assert "Zwanenburg" in client.get(page).text
    _idle(16)
    locked = client.get(page)
    assert locked.status_code == 423
    assert "Zwanenburg" not in locked.text and "Screen locked" in locked.text
    assert f'name="next" id="unlock-next" value="{page}"' in locked.text
    unlocked = _unlock(client, PASSWORD, next=page)
    assert unlocked.status_code == 302 and unlocked.headers["Location"] == page
    shown = client.get(page)
    assert shown.status_code == 200 and "Zwanenburg" in shown.text, "no second factor asked"
    events = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == AuditAction.LOGIN)
    ).all()
    assert "screen unlocked" in events


def test_a_wrong_password_keeps_it_locked_and_is_throttled_like_the_login(
    app, login, therapist
) -> None:
    client = login(therapist, test_client=app.test_client())
    _idle(16)
    wrong = _unlock(client, "not the password at all")
    assert wrong.status_code == 423 and "This password is not correct." in wrong.text
    assert client.get("/").status_code == 423
    for _ in range(4):
        _unlock(client, "still not the password")
    refused = _unlock(client, PASSWORD)
    assert refused.status_code == 423 and "Too many attempts" in refused.text
    assert client.get("/").status_code == 423
    # The failures are the login's own: the login form refuses the account for the minute too.
    fresh = app.test_client()
    form = fresh.get("/login")
    answer = fresh.post(
        "/login",
        data={
            "csrf_token": csrf_token_from(form.text),
            "email": therapist.email,
            "password": PASSWORD,
        },
    )
    assert "Too many attempts" in answer.text
    failed = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.outcome == AuditOutcome.FAILED)
    ).all()
    assert failed.count("screen unlock") == 6


def test_unlocking_in_place_answers_json(app, login, therapist) -> None:
    client = login(therapist, test_client=app.test_client())
    _idle(16)
    token = _token(client)
    headers = {"Accept": "application/json"}
    wrong = client.post(
        "/session/unlock", data={"csrf_token": token, "password": "nope"}, headers=headers
    )
    assert wrong.status_code == 403 and wrong.get_json()["unlocked"] is False
    assert wrong.get_json()["error"] == "This password is not correct."
    right = client.post(
        "/session/unlock", data={"csrf_token": token, "password": PASSWORD}, headers=headers
    )
    assert right.status_code == 200 and right.get_json() == {"unlocked": True}
    assert client.get("/").status_code == 200


def test_a_lock_in_one_tab_locks_every_tab_and_unlocking_one_unlocks_all(
    app, login, therapist
) -> None:
    first = login(therapist, test_client=app.test_client())
    second = _tab_of(app, first)
    assert second.get("/").status_code == 200
    _idle(16)
    assert first.get("/").status_code == 423  # the first tab's request writes the lock
    db.session.execute(update(UserSession).values(last_seen_at=datetime.now(UTC)))
    db.session.commit()  # even a fresh last activity does not undo a written lock
    assert second.get("/").status_code == 423
    status = second.post(
        "/session/keep-alive",
        headers={"X-CSRFToken": _token(second), "X-Session-Status-Only": "1"},
    )
    assert status.get_json()["locked"] is True
    assert _unlock(second, PASSWORD).status_code == 302
    assert first.get("/").status_code == 200


def test_unlocking_a_login_that_is_not_locked_checks_nothing(app, login, therapist) -> None:
    client = login(therapist, test_client=app.test_client())
    answer = _unlock(client, "anything", next="/account/settings")
    assert answer.status_code == 302 and answer.headers["Location"] == "/account/settings"
    failed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.outcome == AuditOutcome.FAILED)
    ).all()
    assert failed == []
    assert _unlock(client, "x", next="https://evil.example/").headers["Location"] == "/"


def test_a_form_posted_to_a_locked_login_is_kept_and_offered_after_unlocking(
    app, login, therapist
) -> None:
    episode = make_full_episode(make_patient(therapist))
    db.session.commit()
    client = login(therapist, test_client=app.test_client())
    new = f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions/new"
    token = csrf_token_from(client.get(new).text)
    _idle(16)
    posted = client.post(new, data={"csrf_token": token, "notes": "Cried for the first time."})
    assert posted.status_code == 423 and "What you typed is kept" in posted.text
    assert db.session.scalar(select(FormDraft.path)) == new
    unlocked = _unlock(client, PASSWORD, next=f"{new}?draft=restore")
    restored = client.get(unlocked.headers["Location"])
    assert "Cried for the first time." in restored.text


def test_a_locked_login_gets_no_patient_data_from_any_route(app, login) -> None:
    """Every route and method of the url_map, with the owner's own ids, while locked."""
    owner = make_user()
    world = _world(owner)
    db.session.commit()
    client = login(owner, test_client=app.test_client())
    token = _token(client)
    _idle(16)
    requests = refused = 0
    problems = []
    for rule in protected_rules(app):
        if rule.endpoint in LOCKED_ENDPOINTS:
            continue
        url = build_url(rule, world.ids)
        for method in methods(rule):
            before = row_counts() if method == "POST" else None
            if method == "POST":
                data = {"csrf_token": token, **_named_page(rule, world.ids)}
                response = client.post(url, data=data)
            else:
                response = client.open(url, method=method)
            requests += 1
            body = response.get_data().decode("utf-8", "replace")
            if response.status_code == 423:
                refused += 1
            else:
                problems.append(f"{method} {url}: {response.status_code}")
            if any(secret in body for secret in world.secrets):
                problems.append(f"{method} {url}: shows the patient")
            if before is not None:
                after = row_counts()
                # A clinical form's post is kept as a draft (nothing typed is lost), no more.
                kept = {"form_draft", "audit_event"}
                changed = {t for t in after if after[t] != before[t]} - kept
                if changed:
                    problems.append(f"POST {url}: changed {sorted(changed)}")
    assert not problems, "\n".join(problems)
    assert BODY_ADDRESSED  # the draft routes were among them
    figures.report(
        "screen lock",
        f"screen lock: {requests} requests over the url_map while locked, {refused} refused, "
        "0 with patient data",
    )
