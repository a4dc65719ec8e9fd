"""Fuzzing generated from the URL map: every form and query parameter of every page.

Each page the url_map walk reaches is opened by a visitor who may use it (anonymous for the
login, a password-only login for the second step, the therapist, the practice administrator),
and every form on it, POST and GET alike, is sent back with hostile values: in all fields at
once and in one field at a time, hidden fields (versions, ids, form keys, CSRF tokens) and
filters included. Any answer but a server error is acceptable here (the clinical forms'
own fuzzing in test_fuzz.py checks their messages); a 500 is a finding.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient

from tests import figures
from tests.conftest import login_password_only
from tests.factories import PASSWORD, make_user
from tests.web.access import build_url, methods
from tests.web.forms_on_page import PageForm, forms_on
from tests.web.test_access_matrix import _world
from tests.web.test_fuzz import FUZZ_LINE
from therapy.extensions import db
from therapy.models.enums import Role

ALL_FIELDS = (
    "a\x00b",
    "2147483648",
    "-2147483649",
    "0001-01-01",
    "x" * 60_000,
    "\u202e<script>",
    "",
)
# One field at a time (the rest valid, so the value reaches the save): what is hostile to the
# kind of value the page put in the field; an empty field gets every kind.
NUMBER, DATE, TEXT = "2147483647", "9999-12-31", "a\x00b"
# A form that ends the visitor's own login would leave the rest of the walk logged out.
SKIPPED_ACTIONS = ("/logout",)
# Pages without forms or parameters worth sending back (files, assets, pings).
GET_PARAMETERS = ("page", "next", "q")


def _one_field_payloads(value: str) -> tuple[str, ...]:
    if not value:
        return (NUMBER, DATE, TEXT)
    if re.fullmatch(r"-?\d+", value):
        return (NUMBER, "-2147483649")  # and one past the smallest integer
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return (DATE,)
    return (TEXT, NUMBER)


def _actor(endpoint: str, clients: dict[str, FlaskClient]) -> str:
    if endpoint == "auth.login":
        return "anonymous"
    if endpoint in ("auth.two_factor", "auth.enrol"):
        return "password-only"
    if endpoint.startswith("admin.") or endpoint.startswith("exports."):
        return "admin"
    return "owner"


def test_every_form_and_query_parameter_survives_hostile_input(app: Flask, login) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a server error is counted, not raised
    owner = make_user()
    admin = make_user(Role.PRACTICE_ADMIN)
    half = make_user(enrolled=False)
    world = _world(owner)
    db.session.commit()
    logins = {
        "anonymous": lambda: app.test_client(),
        "password-only": lambda: login_password_only(app.test_client(), half, PASSWORD),
        "owner": lambda: login(owner, test_client=app.test_client()),
        "admin": lambda: login(admin, test_client=app.test_client()),
    }
    clients = {who: make() for who, make in logins.items()}
    sent: set[tuple[str, str, tuple[str, ...]]] = set()
    submissions = 0
    errors: list[str] = []

    def send(who: str, form: PageForm, data: dict[str, str], what: str) -> None:
        nonlocal submissions
        client = clients[who]
        path = urlsplit(form.action).path
        if form.method == "POST":
            response = client.post(path, data=data)
        else:
            response = client.get(path, query_string=data)
        submissions += 1
        if response.status_code >= 500:
            errors.append(f"{who} {form.method} {path} {what}: {response.status_code}")
        location = response.headers.get("Location", "")
        if who in ("owner", "admin") and location.startswith("/login"):
            clients[who] = logins[who]()  # a hostile value ended the login: log in again

    def fuzz(who: str, form: PageForm) -> None:
        key = (form.method, urlsplit(form.action).path, tuple(sorted(form.fields)))
        if key in sent or urlsplit(form.action).path.endswith(SKIPPED_ACTIONS):
            return
        sent.add(key)
        valid = dict(form.fields)
        for payload in ALL_FIELDS:
            send(who, form, {name: payload for name in valid}, f"all = {payload[:12]!r}")
        for name, value in valid.items():
            for payload in _one_field_payloads(value):
                send(who, form, {**valid, name: payload}, f"{name} = {payload[:12]!r}")

    pages = 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in methods(rule) or rule.endpoint == "static":
            continue
        who = _actor(rule.endpoint, clients)
        url = build_url(rule, world.ids)
        response = clients[who].get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        pages += 1
        page_forms = forms_on(url, response.text)
        for form in page_forms:
            fuzz(who, form)
        parameters = PageForm(url, "GET", {name: "" for name in GET_PARAMETERS})
        fuzz(who, parameters)

    assert pages > 20 and len(sent) > 30, (pages, len(sent))
    assert not errors, "\n".join(errors[:40])
    figures.report_sum("fuzz", FUZZ_LINE, submissions=submissions, errors=len(errors))
