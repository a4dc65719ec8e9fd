"""Stored XSS: a corpus of payloads in every text field, rendered in every view, in Chromium.

Generic over the schema, not a list of forms: every text column of every table is filled (so a
field added later is covered), every GET page is rendered as the user who may see it, and a
hook counts any payload that runs. Columns too short for the main corpus (a record number, a
phone number, an 8-character AGB code) get the short payloads that fit them. The page's
Content-Security-Policy is bypassed on purpose: it would block inline script anyway, and this
test is about the output encoding underneath it. A field holds as many payloads at once as
fit in it (one round shows several), and the payloads rotate through the fields, so after the
last round each field has shown each payload (that fits it) in each view.
"""

from __future__ import annotations

import pytest
from flask import Flask

from tests import figures
from tests.browser.conftest import browser_login
from tests.factories import make_gp, make_user
from tests.web.access import SECOND_STEP_ENDPOINTS, build_url, methods, protected_rules
from tests.web.stored_text import fill_fields, room_of, short_text_fields, text_fields
from tests.web.test_access_matrix import _world
from therapy.extensions import db
from therapy.models import Patient
from therapy.models.enums import Role

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
# For the columns shorter than LONGEST, shortest first. Nothing that runs fits in 8 or 16
# characters, so the shortest payloads are a made-up element: found in the page, it proves
# the column reached the HTML unescaped (INJECTED looks for it).
SHORT_PAYLOADS = (
    "<xss>",
    '"><xss>',
    "<svg onload=__xss(11)>",
    "'><svg onload=__xss(12)>",
    "<script>__xss(13)</script>",
    "<img src=x onerror=__xss(14)>",
)
HOOK = "window.__xssHits = []; window.__xss = (n) => window.__xssHits.push(n);"
INJECTED = (
    "script:not([src]), img[src='x'], svg[onload], iframe[src^='javascript'], "
    "details[ontoggle], animate[onbegin], xss"
)


def _packed(payloads: tuple[str, ...], room: int | None, start: int) -> list[list[str]]:
    """The payloads, rotated by `start`, packed into as few values (rounds) as fit the room."""
    rotated = payloads[start % len(payloads) :] + payloads[: start % len(payloads)]
    values: list[list[str]] = []
    for item in rotated:
        if values and (room is None or len(" ".join([*values[-1], item])) <= room):
            values[-1].append(item)
        else:
            values.append([item])
    return values


def _short_payloads_for(room: int) -> tuple[str, ...]:
    """The short payloads that fit a column with room for this many characters."""
    fitting = tuple(payload for payload in SHORT_PAYLOADS if len(payload) <= room)
    assert fitting, f"no payload fits a column of {room} characters"
    return fitting


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
    short_fields = short_text_fields(LONGEST)
    short_choices = [_short_payloads_for(room) for _table, _name, room in short_fields]
    every_field = fields + [(table, name) for table, name, _room in short_fields]

    # Per field, the payloads of each round: a long field holds several at once.
    schedule = [
        _packed(PAYLOADS, room_of(table, name), i) for i, (table, name) in enumerate(fields)
    ]
    schedule += [
        _packed(choices, room, i)
        for i, (choices, (_table, _name, room)) in enumerate(
            zip(short_choices, short_fields, strict=True)
        )
    ]
    rounds = max(len(values) for values in schedule)

    def payload(i: int, r: int) -> str:
        return " ".join(schedule[i][r % len(schedule[i])])

    executed = injected = 0
    problems = []
    for round_number in range(rounds):
        fill_fields(every_field, lambda i, r=round_number: payload(i, r), owner_id)
        for who, path in views:
            page = contexts[who][1]
            response = page.goto(f"{live_server}{path}")
            assert response is not None and response.status == 200, (who, path)
            page.wait_for_load_state("load")
            # One round trip per view: what ran, what the page shows, what was injected.
            hits, text, found = page.evaluate(
                "(selector) => [window.__xssHits.length, document.body.innerText,"
                " document.querySelectorAll(selector).length]",
                INJECTED,
            )
            if not any(shown in text for shown in PAYLOADS + SHORT_PAYLOADS):
                problems.append(f"{path}: shows no stored text, so it proves nothing")
            executed += hits
            injected += found
            if hits or found:
                problems.append(f"round {round_number} {path}: {hits} ran, {found} injected")
    for context, _page in contexts.values():
        context.close()
    assert executed == 0 and injected == 0 and not problems, problems
    # Every long field has held every payload, and every short one each that fits it.
    held = [{item for value in values[:rounds] for item in value} for values in schedule]
    assert all(held[i] == set(PAYLOADS) for i in range(len(fields)))
    assert all(held[len(fields) + i] == set(c) for i, c in enumerate(short_choices))
    assert {"record_number", "phone", "postcode", "agb_code", "registration_number"} <= {
        name for _table, name, _room in short_fields
    }, "the short columns are covered"
    figures.report(
        "xss",
        f"xss: {len(PAYLOADS)}×{len(fields)}×{len(views)} renders, {executed} executed"
        f" (and {len(SHORT_PAYLOADS)} short payloads in {len(short_fields)} short columns)",
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


def test_the_detector_notices_each_short_payload(chromium) -> None:
    """Each short payload, parsed raw in a page, runs or leaves an element INJECTED finds."""
    context = chromium.new_context(bypass_csp=True)
    context.add_init_script(HOOK)
    page = context.new_page()
    raw = "".join(f'<div id="p{n}">{payload}</div>' for n, payload in enumerate(SHORT_PAYLOADS))
    page.route(
        "http://xss.test/",
        lambda route: route.fulfill(content_type="text/html", body=f"<body>{raw}</body>"),
    )
    page.goto("http://xss.test/")
    page.wait_for_load_state("load")
    for n, payload in enumerate(SHORT_PAYLOADS):
        found = page.evaluate(
            "([n, selector]) => document.querySelectorAll(`#p${n} :is(${selector})`).length",
            [n, INJECTED],
        )
        assert found, payload
    page.wait_for_function("window.__xssHits.length >= 4", timeout=5000)
    assert sorted(page.evaluate("window.__xssHits")) == [11, 12, 13, 14]
    context.close()
