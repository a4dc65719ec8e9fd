"""Security headers on every response, error pages included, and no inline script or style.

Every GET route is requested by every kind of visitor, plus each error page (400, 403, 404,
405, 413, 500) and a static file. Each response is checked for the headers of SECURITY.md
promise 7; each HTML page for inline script, inline style and event-handler attributes,
which the Content-Security-Policy would block (so a page relying on them is broken).
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from werkzeug.datastructures import Headers
from werkzeug.test import TestResponse

from tests import figures
from tests.conftest import _make_app, csrf_token_from, login_password_only
from tests.factories import PASSWORD, make_user
from tests.web.access import build_url, methods
from tests.web.test_access_matrix import _world
from therapy.access import gate as security
from therapy.extensions import db
from therapy.models.enums import Role

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


def violations(response: TestResponse, static: bool = False) -> list[str]:
    """What is wrong with one response's headers and, for HTML, its markup."""
    body = response.get_data(as_text=True) if response.mimetype == "text/html" else None
    queried = bool(response.request.query_string)
    return header_and_markup_problems(response.headers, body, static, queried=queried)


def header_and_markup_problems(
    headers: Headers, body: str | None, static: bool, *, queried: bool = False
) -> list[str]:
    """The checks themselves, on headers and (for an HTML page) its text; a page asked for
    with a query sends only its origin as Referer (finding 2)."""
    found = []
    policy = headers.get("Content-Security-Policy", "")
    if policy != security.CONTENT_SECURITY_POLICY:
        found.append("Content-Security-Policy missing or changed")
    for weak in ("unsafe-inline", "unsafe-eval", "*"):
        if weak in policy:
            found.append(f"CSP allows {weak}")
    if "frame-ancestors 'none'" not in policy:
        found.append("frame-ancestors")
    if headers.get("X-Content-Type-Options") != "nosniff":
        found.append("nosniff")
    if headers.get("Referrer-Policy") != ("strict-origin" if queried else "same-origin"):
        found.append("Referrer-Policy")
    if headers.get("X-Frame-Options") != "DENY":
        found.append("X-Frame-Options")
    if not static and headers.get("Cache-Control") != "no-store":
        found.append("Cache-Control")
    if "Server" in headers or "X-Powered-By" in headers:
        found.append("server banner")
    if body is not None:
        for name, pattern in (
            ("inline script", INLINE_SCRIPT),
            ("inline style", INLINE_STYLE),
            ("event handler attribute", HANDLER),
            ("javascript: URL", JS_URL),
        ):
            if pattern.search(body):
                found.append(name)
    return found


def _read(response: TestResponse) -> TestResponse:
    """Read a streamed (static file) response and close its file."""
    response.get_data()
    response.close()
    return response


def test_headers_on_every_response(app: Flask, login, monkeypatch, tmp_path, database_url) -> None:
    owner = make_user()
    admin = make_user(Role.PRACTICE_ADMIN)
    half = make_user()
    world = _world(owner)
    db.session.commit()
    visitors = {
        "anonymous": app.test_client(),
        "password-only": login_password_only(app.test_client(), half, PASSWORD),
        "owner": login(owner, test_client=app.test_client()),
        "admin": login(admin, test_client=app.test_client()),
    }
    responses: list[tuple[str, TestResponse, bool]] = []
    for rule in app.url_map.iter_rules():
        if "GET" not in methods(rule) or rule.endpoint == "static":
            continue
        for who, client in visitors.items():
            response = client.get(build_url(rule, world.ids))
            responses.append((f"{who} {rule.rule}", response, False))
    owner_client = visitors["owner"]
    token = csrf_token_from(owner_client.get("/account/password").text)
    responses += [
        ("404", owner_client.get("/no/such/page"), False),
        ("404 clinical", visitors["admin"].get(f"/patients/{world.ids['patient_id']}"), False),
        ("403", owner_client.get("/admin/accounts"), False),
        ("405", owner_client.get("/logout"), False),
        ("400 csrf", owner_client.post("/account/password", data={}), False),
        (
            "413",
            owner_client.post(
                "/account/password", data={"csrf_token": token, "x": "x" * 5_000_000}
            ),
            False,
        ),
        ("static", _read(visitors["anonymous"].get("/static/css/app.css")), True),
        ("static js", _read(visitors["anonymous"].get("/static/js/session.js")), True),
    ]
    statuses = {label: response.status_code for label, response, _ in responses}
    assert statuses["404"] == 404 and statuses["403"] == 403 and statuses["405"] == 405
    assert statuses["400 csrf"] == 400 and statuses["413"] == 413

    # A 500: a fresh app with one failing page, allowed through the login gate for this test.
    failing = _make_app(database_url, tmp_path / "failing")
    failing.config["PROPAGATE_EXCEPTIONS"] = False

    def boom() -> str:
        raise RuntimeError("an unexpected failure")

    failing.add_url_rule("/boom", "boom", boom)
    monkeypatch.setattr(security, "PUBLIC_ENDPOINTS", security.PUBLIC_ENDPOINTS | {"boom"})
    with failing.app_context():
        server_error = failing.test_client().get("/boom")
        db.session.remove()
        db.engine.dispose()
    assert server_error.status_code == 500 and "an unexpected failure" not in server_error.text
    responses.append(("500", server_error, False))

    problems = [
        f"{label}: {found}"
        for label, response, static in responses
        if (found := violations(response, static))
    ]
    assert not problems, "\n".join(problems)
    figures.report("headers", f"headers: {len(responses)} responses, {len(problems)} violations")


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        '<p style="color:red">x</p>',
        '<button onclick="x()">x</button>',
        '<a href="javascript:alert(1)">x</a>',
    ],
)
def test_the_markup_check_catches_what_csp_would_block(app: Flask, markup: str) -> None:
    clean = app.test_client().get("/login")
    assert header_and_markup_problems(clean.headers, clean.text, False) == []
    dirty = clean.text.replace("</main>", f"{markup}</main>")
    assert header_and_markup_problems(clean.headers, dirty, False) != []
