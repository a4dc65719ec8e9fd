"""CSRF on every state-changing route (promise 6), generated from the URL map.

Each route that takes POST, PUT, PATCH or DELETE is sent without a token and with a forged
one, by a visitor who may otherwise use it; the answer must be a 400 that says so (the "form
expired" page, or the form shown again with its "not saved yet" banner) and the database
must be exactly as before. GET requests must change nothing but the audit trail.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests import figures
from tests.conftest import login_password_only
from tests.factories import PASSWORD, make_user
from tests.web.access import build_url, methods
from tests.web.snapshots import changed_tables, snapshot
from tests.web.test_access_matrix import _world
from therapy.extensions import csrf, db
from therapy.models.enums import Role

STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")


def _actor(rule_endpoint: str, clients: dict[str, FlaskClient]) -> FlaskClient:
    if rule_endpoint == "auth.login":
        return clients["anonymous"]
    if rule_endpoint in ("auth.two_factor", "auth.enrol"):
        return clients["password-only"]
    if rule_endpoint.startswith("admin."):
        return clients["admin"]
    return clients["owner"]


def test_csrf_on_every_state_changing_route(app: Flask, login) -> None:
    owner = make_user()
    admin = make_user(Role.PRACTICE_ADMIN)
    half = make_user(enrolled=False)
    world = _world(owner)
    db.session.commit()
    clients = {
        "anonymous": app.test_client(),
        "password-only": login_password_only(app.test_client(), half, PASSWORD),
        "owner": login(owner, test_client=app.test_client()),
        "admin": login(admin, test_client=app.test_client()),
    }
    assert not csrf._exempt_views and not csrf._exempt_blueprints, "no exemptions"
    routes = unprotected = 0
    problems = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        changing = [m for m in methods(rule) if m in STATE_CHANGING]
        if not changing:
            continue
        routes += 1
        client = _actor(rule.endpoint, clients)
        url = build_url(rule, world.ids)
        for method in changing:
            for data in ({}, {"csrf_token": "forged-" + "0" * 40}):
                before = snapshot()
                response = client.open(url, method=method, data=data)
                after = snapshot()
                refused = "has expired" in response.text or "Not saved yet" in response.text
                if response.status_code != 400 or not refused:
                    problems.append(f"{method} {rule.rule}: {response.status_code}")
                    unprotected += 1
                elif changed_tables(before, after):
                    problems.append(f"{method} {rule.rule} changed {changed_tables(before, after)}")
                    unprotected += 1
    assert routes > 0 and not problems, problems
    figures.report("csrf", f"csrf: {routes} state-changing routes, {unprotected} unprotected")


def test_get_changes_nothing_but_the_audit_trail(app: Flask, login) -> None:
    owner = make_user()
    admin = make_user(Role.PRACTICE_ADMIN)
    world = _world(owner)
    db.session.commit()
    as_owner = login(owner, test_client=app.test_client())
    as_admin = login(admin, test_client=app.test_client())
    changed = []
    for rule in app.url_map.iter_rules():
        if "GET" not in methods(rule) or rule.endpoint == "static":
            continue
        client = as_admin if rule.endpoint.startswith("admin.") else as_owner
        before = snapshot(skip_tables=frozenset({"audit_event"}))
        client.get(build_url(rule, world.ids))
        if changed_tables(before, snapshot(skip_tables=frozenset({"audit_event"}))):
            changed.append(rule.rule)
    assert changed == []
