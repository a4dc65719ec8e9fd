"""The patient's pages as their own small world, walked over the url_map: without a checked
link they show nothing; with one, nothing but the questionnaire is reached; CSRF holds."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from tests import figures
from tests.conftest import csrf_token_from
from tests.factories import make_user
from tests.web.access import PATIENT_ENDPOINTS, build_url, methods
from tests.web.self_report_flow import open_link
from tests.web.snapshots import changed_tables, snapshot
from tests.web.test_access_matrix import _world
from therapy.extensions import db
from therapy.models import SelfReportRequest

BIRTH = "01-01-1980"
# What a patient's page may answer without a checked link: the link's own page and the
# thank-you (both show nothing of anyone), a change of language, or a refusal.
ALLOWED_WITHOUT_LINK = {200, 302, 400, 403, 404, 410}


def test_patient_pages_without_a_checked_link_show_nothing(app: Flask) -> None:
    world = _world(make_user())
    db.session.commit()
    browser = app.test_client()
    token = csrf_token_from(browser.get(f"/q/{world.ids['token']}").text)
    problems = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in PATIENT_ENDPOINTS:
            continue
        for method in methods(rule):
            url = build_url(rule, world.ids)
            before = snapshot(skip_tables=frozenset({"audit_event"}))
            response = browser.open(url, method=method, data={"csrf_token": token})
            body = response.get_data(as_text=True)
            if response.status_code not in ALLOWED_WITHOUT_LINK:
                problems.append(f"{method} {url}: {response.status_code}")
            if any(secret in body for secret in world.secrets) or "Given" in body:
                problems.append(f"{method} {url}: shows the patient")
            if changed_tables(before, snapshot(skip_tables=frozenset({"audit_event"}))):
                problems.append(f"{method} {url}: changed the database")
    assert not problems, problems
    assert browser.get("/answer/phq15").status_code == 403


def test_a_checked_link_reaches_no_other_page(app: Flask) -> None:
    owner = make_user()
    world = _world(owner)
    db.session.commit()
    browser = app.test_client()
    assert open_link(browser, str(world.ids["token"]), BIRTH).status_code == 302
    assert browser.get("/answer/phq15").status_code == 200
    token = csrf_token_from(browser.get("/answer/phq15").text)
    problems = []
    requests = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PATIENT_ENDPOINTS or rule.endpoint in ("static", "auth.login"):
            continue  # the login page is everyone's; it shows no patient
        for method in methods(rule):
            url = build_url(rule, world.ids)
            response = browser.open(url, method=method, data={"csrf_token": token})
            requests += 1
            body = response.get_data(as_text=True)
            if response.status_code != 302 or not response.headers["Location"].startswith("/login"):
                problems.append(f"{method} {url}: {response.status_code}")
            if any(secret in body for secret in world.secrets):
                problems.append(f"{method} {url}: shows the patient")
    assert not problems, problems
    # Still answering afterwards: the walk did not end the patient's own access.
    assert browser.get("/answer/phq15").status_code == 200
    figures.report(
        "self_report",
        f"self-report: {requests} requests from a patient's link over the url_map, 0 reached",
    )


def test_a_patient_post_without_its_token_is_refused_and_changes_nothing(app: Flask) -> None:
    world = _world(make_user())
    db.session.commit()
    browser = app.test_client()
    open_link(browser, str(world.ids["token"]), BIRTH)
    draft = db.session.scalar(select(SelfReportRequest.draft))
    for data in ({}, {"csrf_token": "forged-" + "0" * 40}):
        response = browser.post("/answer/phq15", data={**data, "item_01": "2"})
        assert response.status_code == 400 and "Not saved yet" in response.text
        assert 'value="2" checked' in response.text or "checked" in response.text
    sent = browser.post("/answer/submit", data={})
    assert sent.status_code == 400
    db.session.expire_all()
    assert db.session.scalar(select(SelfReportRequest.draft)) == draft
    assert db.session.scalar(select(SelfReportRequest.submitted_at)) is None
