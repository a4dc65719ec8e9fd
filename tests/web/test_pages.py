"""Every page: security headers, calm error pages, and a rollback after a failure."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from tests.factories import make_patient, make_user
from tests.web.access import build_url, methods, protected_rules
from therapy.access.gate import CONTENT_SECURITY_POLICY
from therapy.extensions import db
from therapy.models import Patient, User

REQUIRED_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def _violations(response, *, authenticated: bool) -> list[str]:
    problems = [
        f"{name}: {response.headers.get(name)!r}"
        for name, value in REQUIRED_HEADERS.items()
        if response.headers.get(name) != value
    ]
    if "unsafe-inline" in response.headers.get("Content-Security-Policy", ""):
        problems.append("CSP allows unsafe-inline")
    if authenticated and response.headers.get("Cache-Control") != "no-store":
        problems.append("authenticated page may be cached")
    return problems


def test_headers_on_every_page_including_errors(app: Flask, client, login) -> None:
    user = make_user()
    patient = make_patient(user)
    db.session.commit()
    responses = [
        ("login", client.get("/login")),
        ("anonymous redirect", client.get("/")),
        ("unknown url, anonymous", client.get("/no/such/page")),
    ]
    login(user)
    ids = {"patient_id": patient.id}
    for rule in protected_rules(app):
        if "GET" in methods(rule) and set(rule.arguments) <= set(ids):
            responses.append((rule.rule, client.get(build_url(rule, ids))))
    responses += [
        ("404", client.get("/patients/999999")),
        ("405", client.get("/logout")),
        ("expired form", client.post("/logout")),
    ]
    problems = [
        f"{name}: {problem}"
        for name, response in responses
        for problem in _violations(response, authenticated=name not in ("login",))
    ]
    assert not problems, problems
    assert all("Server" not in response.headers for _, response in responses)


def test_error_pages_are_pages_not_stack_traces(app: Flask, client, login) -> None:
    user = make_user()
    login(user)
    not_found = client.get("/patients/424242")
    assert not_found.status_code == 404
    assert "Page not found" in not_found.text and "Back to my caseload" in not_found.text
    not_allowed = client.get("/admin/accounts")
    assert not_allowed.status_code == 403 and "Not allowed" in not_allowed.text


def test_a_failing_request_gets_the_500_page_and_its_changes_are_rolled_back(
    app: Flask, client, login
) -> None:
    user = make_user()
    login(user)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    owner = db.session.get(User, user.id)
    db.session.expunge(owner)  # used inside the request; the test's session must stay idle

    def explode() -> str:
        make_patient(owner, family_name="Halfwritten")  # flushed, then the request fails
        raise RuntimeError("boom")

    app.view_functions["caseload.index"] = explode
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "boom" not in response.text
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Patient.id))) == 0
