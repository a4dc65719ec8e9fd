"""The device handed over (SECURITY.md promise 11): the therapist's login shows only the
patient's questionnaires until the therapist's password takes it back."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import PASSWORD, make_full_episode, make_patient, make_session, make_user
from tests.web.self_report_flow import ask, phq15_radios, post_step, send
from therapy.extensions import db
from therapy.models import AllianceCheckin, Phq15Administration, UserSession
from therapy.models.enums import AnswerSource
from therapy.services.phq15 import scoring


def _handed_over(app: Flask, login, **asked: str):
    therapist = make_user()
    patient = make_patient(therapist, given_name="Ilse", family_name="Zwanenburg")
    episode = make_full_episode(patient)
    session = make_session(episode, number=4)
    db.session.commit()
    device = login(therapist, test_client=app.test_client())
    fields = {"channel": "device", **asked}
    if "checkin_session_id" in fields:
        fields["checkin_session_id"] = str(session.id)
    started = ask(device, patient.id, episode.id, **fields)
    assert started.status_code == 302, started.text
    return device, therapist, patient, episode, session, started


def _return(device, password: str):
    page = device.get("/answer/return")
    return device.post(
        "/answer/return", data={"csrf_token": csrf_token_from(page.text), "password": password}
    )


def test_a_patient_answers_on_the_device_and_it_arrives_as_theirs(app: Flask, login) -> None:
    device, therapist, patient, _episode, session, started = _handed_over(
        app, login, phq15_timepoint="end_of_treatment", checkin_session_id="x"
    )
    assert started.headers["Location"] == "/answer/phq15"
    page = device.get("/answer/phq15")
    assert page.status_code == 200 and "Ilse" in page.text
    for secret in ("Zwanenburg", patient.record_number, therapist.full_name, "Log out"):
        assert secret not in page.text
    codes = "2x1 n10 221 000 112"
    post_step(device, "/answer/phq15", phq15_radios(codes))
    moved = post_step(
        device,
        "/answer/checkin",
        {"bond": "9", "goals": "4", "tasks": "8", "left_unsaid": "Te snel"},
    )
    assert moved.headers["Location"] == "/answer/review"
    # Back to the PHQ-15 from the check-in: the answers are still there.
    back = post_step(
        device, "/answer/checkin", {"bond": "9", "goals": "4", "tasks": "8"}, back=True
    )
    assert back.headers["Location"] == "/answer/phq15"
    assert send(device).headers["Location"] == "/answer/thanks"
    thanks = device.get("/answer/thanks")
    assert "Thank you" in thanks.text and "Ilse" not in thanks.text
    stored = db.session.scalars(
        select(Phq15Administration).where(Phq15Administration.source == AnswerSource.PATIENT_DEVICE)
    ).one()
    expected = scoring.score([2, None, 1, "na", 1, 0, 2, 2, 1, 0, 0, 0, 1, 1, 2], "female")
    assert (stored.total, stored.rule.value) == (expected.total, expected.rule.value)
    checkin = db.session.scalars(
        select(AllianceCheckin).where(AllianceCheckin.session_id == session.id)
    ).one()
    assert (checkin.bond, checkin.goals, checkin.tasks, checkin.source) == (
        9,
        4,
        8,
        AnswerSource.PATIENT_DEVICE,
    )
    # Still handed over after the thank-you: the caseload is refused until the password.
    assert device.get("/").status_code == 403
    assert _return(device, PASSWORD).status_code == 302
    caseload = device.get("/")
    assert caseload.status_code == 200 and "Zwanenburg" in caseload.text


def test_every_other_route_is_refused_while_handed_over(app: Flask, login) -> None:
    from tests.web.access import HANDOVER_ENDPOINTS, build_url, methods
    from tests.web.snapshots import changed_tables, snapshot
    from tests.web.test_access_matrix import _world

    device, therapist, patient, *_ = _handed_over(app, login, phq15_timepoint="end_of_treatment")
    world = _world(therapist)
    db.session.commit()
    page = device.get("/answer/phq15")
    token = csrf_token_from(page.text)
    refused = 0
    problems = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in HANDOVER_ENDPOINTS:
            continue
        for method in methods(rule):
            url = build_url(rule, world.ids)
            before = snapshot(skip_tables=frozenset({"audit_event", "user_session"}))
            response = device.open(url, method=method, data={"csrf_token": token})
            after = snapshot(skip_tables=frozenset({"audit_event", "user_session"}))
            if response.status_code != 403:
                problems.append(f"{method} {rule.rule}: {response.status_code}")
            for secret in (*world.secrets, "Zwanenburg", patient.record_number):
                if secret in response.get_data(as_text=True):
                    problems.append(f"{method} {rule.rule}: shows {secret}")
            if changed_tables(before, after):
                problems.append(f"{method} {rule.rule}: changed {changed_tables(before, after)}")
            refused += 1
    assert not problems, problems
    assert refused > 80
    from tests import figures

    figures.report("handover", f"handover: {refused} requests over the url_map, 0 reached")


def test_getting_back_needs_the_password_and_is_throttled(app: Flask, login) -> None:
    device, therapist, *_ = _handed_over(app, login, phq15_timepoint="end_of_treatment")
    wrong = [_return(device, "not the password at all") for _ in range(5)]
    assert [r.status_code for r in wrong] == [200] * 5
    assert "not correct" in wrong[0].text
    throttled = _return(device, PASSWORD)
    assert throttled.status_code == 429 and "Too many attempts" in throttled.text
    assert device.get("/").status_code == 403
    record = db.session.scalars(select(UserSession).where(UserSession.user_id == therapist.id))
    assert all(r.handover_request_id is not None for r in record if r.is_verified)


def test_the_device_speaks_the_patients_language(app: Flask, login) -> None:
    device, *_ = _handed_over(app, login, phq15_timepoint="end_of_treatment", language="nl")
    page = device.get("/answer/phq15")
    assert 'lang="nl"' in page.text and "Geen last" in page.text
    switched = device.post(
        "/answer/language",
        data={
            "csrf_token": csrf_token_from(page.text),
            "language": "en_GB",
            "next": "/answer/phq15",
        },
    )
    assert switched.headers["Location"] == "/answer/phq15"
    assert "Not bothered at all" in device.get("/answer/phq15").text
