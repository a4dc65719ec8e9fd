"""Stored XSS: a corpus of payloads in every text field, rendered in every view, in Chromium.

Generic over the schema, not a list of forms: every text column of every table that fits a
payload is filled (so a field added later is covered), every GET page is rendered as the user
who may see it, and a hook counts any payload that runs. The page's Content-Security-Policy
is bypassed on purpose: it would block inline script anyway, and this test is about the
output encoding underneath it. Payloads rotate through the fields, so after one round per
payload each field has shown each payload in each view.
"""

from __future__ import annotations

import pytest
from flask import Flask

from tests import figures
from tests.browser.conftest import browser_login
from tests.factories import make_gp, make_user
from tests.web.access import build_url, methods, protected_rules
from tests.web.stored_text import fill_fields, text_fields
from tests.web.test_access_matrix import _world
from therapy.extensions import db
from therapy.models import Patient
from therapy.models.enums import Role
from therapy.security import SECOND_STEP_ENDPOINTS

pytestmark = pytest.mark.browser

# Lowercase throughout: e-mail columns must stay lowercase (a CHECK constraint).
PAYLOADS = (
    "<script>__xss(1)</script>",
    "<img src=x onerror=__xss(2)>",
    '"><svg onload=__xss(3)>',
    "'><img src=x onerror=__xss(4)>",
    "</textarea><script>__xss(5)</script>",
    "<iframe src=javascript:parent.__xss(6)></iframe>",
    "<details open ontoggle=__xss(7)>",
    "</title><script>__xss(8)</script>",
    "<svg><animate onbegin=__xss(9) attributename=x dur=1s>",
    "javascript:__xss(10)",
)
LONGEST = max(len(p) for p in PAYLOADS) + 8  # room for the row suffix
HOOK = "window.__xssHits = []; window.__xss = (n) => window.__xssHits.push(n);"
INJECTED = (
    "script:not([src]), img[src='x'], svg[onload], iframe[src^='javascript'], "
    "details[ontoggle], animate[onbegin]"
)


def test_no_stored_payload_runs_in_any_view(app: Flask, live_server: str, chromium) -> None:
    owner = make_user()
    admin = make_user(Role.PRACTICE_ADMIN)
    ids = _world(owner).ids  # the access matrix's world: every URL argument it knows
    db.session.get(Patient, ids["patient_id"]).gp = make_gp()
    db.session.commit()
    owner_id = owner.id
    contexts = {}
    for who, user in (("owner", owner), ("admin", admin)):
        context = chromium.new_context(bypass_csp=True)
        context.add_init_script(HOOK)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.dismiss())
        browser_login(page, live_server, user)
        contexts[who] = (context, page)

    views = []
    for rule in protected_rules(app):
        if "GET" not in methods(rule):
            continue
        if rule.endpoint in SECOND_STEP_ENDPOINTS:
            continue
        who = "admin" if rule.endpoint.startswith("admin.") else "owner"
        with app.test_request_context():
            views.append((who, build_url(rule, ids).replace("http://localhost", "")))
    # Pages only: a PDF or CSV export is checked by its own tests (promise 7 and 8).
    views = [
        (who, path)
        for who, path in views
        if contexts[who][1]
        .request.get(f"{live_server}{path}")
        .headers.get("content-type", "")
        .startswith("text/html")
    ]
    fields = text_fields(LONGEST)
    renders = executed = injected = 0
    problems = []
    for round_number in range(len(PAYLOADS)):
        fill_fields(fields, lambda i, r=round_number: PAYLOADS[(i + r) % len(PAYLOADS)], owner_id)
        for who, path in views:
            page = contexts[who][1]
            response = page.goto(f"{live_server}{path}")
            assert response is not None and response.status == 200, (who, path)
            page.wait_for_load_state("load")
            hits = page.evaluate("window.__xssHits.length")
            text = page.inner_text("body")
            if not any(payload in text for payload in PAYLOADS):
                problems.append(f"{path}: shows no stored text, so it proves nothing")
            found = page.evaluate(f"document.querySelectorAll({INJECTED!r}).length")
            renders += len(fields)
            executed += hits
            injected += found
            if hits or found:
                problems.append(f"round {round_number} {path}: {hits} ran, {found} injected")
    for context, _page in contexts.values():
        context.close()
    assert executed == 0 and injected == 0 and not problems, problems
    assert renders == len(PAYLOADS) * len(fields) * len(views)
    figures.report(
        "xss",
        f"xss: {len(PAYLOADS)}×{len(fields)}×{len(views)} renders, {executed} executed",
    )


def test_the_hook_would_notice_a_payload_that_runs(chromium, live_server: str) -> None:
    """The detector works: the same payloads placed raw into a page do run."""
    context = chromium.new_context(bypass_csp=True)
    context.add_init_script(HOOK)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.evaluate(
        "(html) => { document.body.insertAdjacentHTML('beforeend', html); }",
        PAYLOADS[1] + PAYLOADS[3] + PAYLOADS[6],
    )
    page.wait_for_function("window.__xssHits.length >= 3", timeout=5000)
    context.close()
