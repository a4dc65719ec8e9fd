"""The access matrix, generated from app.url_map: a new route is covered or this test fails."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import figures
from tests.conftest import csrf_token_from
from tests.factories import make_full_episode, make_patient, make_user
from tests.web.access import (
    ADMIN_BLUEPRINT,
    World,
    build_url,
    is_clinical,
    methods,
    protected_rules,
    row_counts,
)
from therapy.extensions import db
from therapy.models.enums import Role


def _world(therapist) -> World:
    patient = make_patient(therapist)
    episode = make_full_episode(patient)
    return World(
        ids={
            "patient_id": patient.id,
            "episode_id": episode.id,
            "session_id": episode.sessions[0].id,
            "goal_id": episode.goals[0].id,
            "entry_id": episode.formulation_entries[0].id,
            "administration_id": episode.phq15_administrations[0].id,
            "document_id": episode.documents[0].id,
        },
        secrets=(patient.family_name, patient.record_number),
    )


@pytest.fixture
def worlds(app: Flask):
    owner = make_user()
    other = make_user()
    admin = make_user(Role.PRACTICE_ADMIN)
    mine, second_of_mine, theirs = _world(owner), _world(owner), _world(other)
    db.session.commit()
    return owner, other, admin, mine, second_of_mine, theirs


def _client(app: Flask, login, user) -> FlaskClient:
    return login(user, test_client=app.test_client())


def _post(client: FlaskClient, url: str) -> int:
    # A valid token, so the scoping (not the CSRF check) is what refuses; the admin's home
    # page redirects to the accounts page, whose logout form carries one too.
    home = client.get("/", follow_redirects=True)
    token = csrf_token_from(home.text) if home.status_code == 200 else ""
    return client.post(url, data={"csrf_token": token}).status_code


def test_access_matrix(app: Flask, login, worlds) -> None:
    owner, other, admin, mine, second_of_mine, theirs = worlds
    anonymous = app.test_client()
    as_owner = _client(app, login, owner)
    as_other = _client(app, login, other)
    as_admin = _client(app, login, admin)
    rules = protected_rules(app)
    requests = leaks = writes = 0
    problems: list[str] = []

    def check(client: FlaskClient, method: str, url: str, expected: set[int], who: str) -> None:
        nonlocal requests, leaks, writes
        before = row_counts() if method == "POST" else None
        status = _post(client, url) if method == "POST" else client.get(url).status_code
        # Bytes decoded leniently: a PDF download is checked for secrets as well.
        body = client.get(url).get_data().decode("utf-8", "replace") if method == "GET" else ""
        requests += 1
        if status not in expected:
            problems.append(f"{who} {method} {url}: {status}, expected {sorted(expected)}")
            leaks += status == 200
        if any(secret in body for secret in mine.secrets) and who != "owner":
            problems.append(f"{who} {method} {url}: shows the owner's patient")
            leaks += 1
        if before is not None and who not in ("owner",) and row_counts() != before:
            problems.append(f"{who} {method} {url}: changed the database")
            writes += 1

    for rule in rules:
        admin_area = rule.endpoint.startswith(ADMIN_BLUEPRINT + ".")
        for method in methods(rule):
            url = build_url(rule, mine.ids)
            check(anonymous, method, url, {302}, "anonymous")
            if rule.endpoint == "auth.logout":
                continue  # logging out is allowed for everyone logged in
            if is_clinical(rule):
                check(as_other, method, url, {404}, "other therapist")
                check(as_admin, method, url, {404}, "practice admin")
                mixed = dict(second_of_mine.ids, patient_id=mine.ids["patient_id"])
                if len(rule.arguments) > 1:
                    check(as_owner, method, build_url(rule, mixed), {404}, "owner, nested ids")
                    foreign = dict(theirs.ids, patient_id=mine.ids["patient_id"])
                    check(as_owner, method, build_url(rule, foreign), {404}, "owner, foreign ids")
            elif admin_area:
                check(as_owner, method, url, {403}, "therapist in admin area")
                check(as_admin, method, url, {200}, "practice admin")
            else:
                check(as_other, method, url, {200, 302}, "other therapist")
                check(as_admin, method, url, {200, 302}, "practice admin")
            if method == "GET" and not admin_area:
                check(as_owner, method, url, {200}, "owner")

    assert not problems, "\n".join(problems)
    figures.report(
        "authz",
        f"authz: {requests} requests over {len(rules)} routes, {leaks} leaks, "
        f"{writes} unauthorised writes",
    )


def test_every_route_but_login_and_static_redirects_anonymous_to_login(app: Flask) -> None:
    client = app.test_client()
    owner = make_user()
    world = _world(owner)
    db.session.commit()
    for rule in protected_rules(app):
        for method in methods(rule):
            url = build_url(rule, world.ids)
            response = client.open(url, method=method)
            assert response.status_code == 302, f"{method} {url}"
            assert response.headers["Location"].startswith("/login"), f"{method} {url}"
