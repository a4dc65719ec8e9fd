"""The patient's forms and the therapist's request meet hostile input calmly (never a 500),
and text a patient or therapist typed is escaped on every patient page (promises 7, 10)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from tests import figures
from tests.factories import make_full_episode, make_patient, make_session, make_user
from tests.web.self_report_flow import ask, ask_url, open_link, post_step, send, token_from
from tests.web.test_fuzz import HOSTILE, PER_FIELD, _fuzz, _submissions
from therapy.extensions import db
from therapy.models import AllianceCheckin, Goal

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
BIRTH = "01-01-1980"


def _linked(app: Flask, login):
    therapist = make_user()
    patient = make_patient(therapist)
    episode = make_full_episode(patient)
    session = make_session(episode, number=4)
    goal = db.session.scalars(select(Goal).where(Goal.episode_id == episode.id)).first()
    goal.activity = SCRIPT
    db.session.commit()
    client = login(therapist, test_client=app.test_client())
    page = ask(
        client,
        patient.id,
        episode.id,
        phq15_timepoint="end_of_treatment",
        psfs="y",
        checkin_session_id=str(session.id),
    )
    browser = app.test_client()
    assert open_link(browser, token_from(page), BIRTH).status_code == 302
    return client, browser, patient, episode, session, goal


def test_every_patient_form_survives_hostile_input(app: Flask, login) -> None:
    client, browser, patient, episode, _session, goal = _linked(app, login)
    before = _submissions["count"]
    items = {f"item_{n:02d}": "1" for n in range(1, 16)}
    ratings = {"bond": "8", "goals": "8", "tasks": "8", "left_unsaid": "Fine"}
    for url, valid in (
        ("/answer/phq15", items),
        ("/answer/psfs", {f"goal_{goal.id}": "5"}),
        ("/answer/checkin", ratings),
        (ask_url(patient.id, episode.id), {"phq15_timepoint": "baseline", "channel": "link"}),
    ):
        _fuzz(browser if url.startswith("/answer") else client, url, valid)
    fresh = app.test_client()
    page = fresh.get("/q/" + "x" * 50)
    assert page.status_code == 200
    from tests.conftest import csrf_token_from

    token = csrf_token_from(page.text)
    for value in (*HOSTILE, *PER_FIELD):
        fresh.environ_base["REMOTE_ADDR"] = f"10.9.{len(value) % 250}.{ord(value[:1] or 'a') % 250}"
        response = fresh.post("/q/" + "x" * 50, data={"csrf_token": token, "birth_date": value})
        assert response.status_code in (200, 404, 429), (value[:20], response.status_code)
    for path in ("/q/" + "%00" * 3, "/q/" + "9" * 5000, "/answer/phq15?x=%00"):
        assert fresh.get(path).status_code in (200, 403, 404), path
    count = _submissions["count"] - before + len(HOSTILE) + len(PER_FIELD)
    figures.report_sum(
        "fuzz_self_report",
        "fuzz (patient forms): {submissions} submissions, {errors} HTTP 500",
        submissions=count,
        errors=0,
    )


def test_typed_text_is_escaped_on_the_patients_pages(app: Flask, login) -> None:
    client, browser, patient, episode, session, goal = _linked(app, login)
    psfs = browser.get("/answer/psfs").text
    assert SCRIPT not in psfs and "&lt;script&gt;" in psfs
    post_step(browser, "/answer/psfs", {f"goal_{goal.id}": "6"})
    post_step(
        browser, "/answer/checkin", {"bond": "7", "goals": "7", "tasks": "7", "left_unsaid": SCRIPT}
    )
    review = browser.get("/answer/review").text
    assert SCRIPT not in review and review.count("&lt;script&gt;") == 2
    assert send(browser).status_code == 302
    checkin = db.session.scalars(
        select(AllianceCheckin).where(AllianceCheckin.session_id == session.id)
    ).one()
    assert checkin.left_unsaid == SCRIPT  # kept as typed, shown escaped
    shown = client.get(f"/patients/{patient.id}/episodes/{episode.id}/sessions/{session.id}").text
    assert SCRIPT not in shown and "&lt;script&gt;" in shown
