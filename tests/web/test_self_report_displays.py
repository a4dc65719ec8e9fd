"""The patient's answers arrive as theirs: on the episode, the PHQ-15 pages, the chart, the
caseload's badges and alerts and the treatment report, and the therapist cannot change them."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import PASSWORD, make_full_episode, make_patient, make_session, make_user
from tests.web.pdf_text import page_texts
from tests.web.self_report_flow import ask, phq15_radios, post_step, send
from therapy.extensions import db
from therapy.models import AllianceCheckin, Document

DEVICE = "answered by the patient on the practice's device"


def _answered_on_the_device(app: Flask, login):
    therapist = make_user()
    patient = make_patient(therapist, given_name="Ilse", family_name="Zwanenburg")
    episode = make_full_episode(patient)
    session = make_session(episode, number=4)
    db.session.commit()
    device = login(therapist, test_client=app.test_client())
    started = ask(
        device,
        patient.id,
        episode.id,
        channel="device",
        phq15_timepoint="end_of_treatment",
        checkin_session_id=str(session.id),
    )
    assert started.status_code == 302
    post_step(device, "/answer/phq15", phq15_radios("000 n00 000 100 000"))
    post_step(device, "/answer/checkin", {"bond": "9", "goals": "4", "tasks": "8"})
    assert send(device).status_code == 302
    page = device.get("/answer/return")
    back = device.post(
        "/answer/return", data={"csrf_token": csrf_token_from(page.text), "password": PASSWORD}
    )
    assert back.status_code == 302
    return device, patient, episode, session


def test_asked_and_not_answered_shows_on_the_caseload_and_the_episode(app: Flask, login) -> None:
    therapist = make_user()
    patient = make_patient(therapist, family_name="Zwanenburg")
    episode = make_full_episode(patient)
    db.session.commit()
    client = login(therapist, test_client=app.test_client())
    ask(client, patient.id, episode.id, phq15_timepoint="end_of_treatment")
    caseload = client.get("/").text
    assert "Asked, not answered" in caseload
    page = client.get(f"/patients/{patient.id}/episodes/{episode.id}").text
    assert "Asked, not answered yet" in page and "Personal link" in page


def test_the_answers_arrive_scored_with_their_source_everywhere(app: Flask, login) -> None:
    client, patient, episode, session = _answered_on_the_device(app, login)
    base = f"/patients/{patient.id}/episodes/{episode.id}"
    results = client.get(f"{base}/phq15").text
    assert DEVICE in results
    assert '<span class="phq15-total">1</span> <span class="muted">out of 28</span>' in results
    episode_page = client.get(base).text
    assert "Answers arrived" in episode_page and DEVICE in episode_page
    caseload = client.get("/").text
    assert "Patient&#39;s answers arrived" in caseload
    # The goals rating of 4 is an alliance alert (any rating of 5 or less), at once.
    assert "Alliance check-in" in caseload
    assert "patient" in client.get(base).text
    session_page = client.get(f"{base}/sessions/{session.id}").text
    assert DEVICE in session_page
    # The treatment report says who answered.
    token = csrf_token_from(client.get(f"{base}/documents").text)
    made = client.post(
        f"{base}/documents/new", data={"csrf_token": token, "kind": "treatment_report"}
    )
    assert made.status_code == 302
    document = db.session.scalars(select(Document).order_by(Document.id.desc())).first()
    pdf = client.get(f"{base}/documents/{document.id}/pdf")
    text = " ".join(page_texts(pdf.get_data())).replace("\u2010", "").replace("\n", " ")
    assert "answered by the patient" in " ".join(text.split())


def test_the_therapist_cannot_change_the_patients_check_in(app: Flask, login) -> None:
    from tests.web.clinical import session_data

    client, patient, episode, session = _answered_on_the_device(app, login)
    url = f"/patients/{patient.id}/episodes/{episode.id}/sessions/{session.id}/edit"
    page = client.get(url)
    assert page.status_code == 200
    db.session.refresh(session)
    data = session_data(episode, session.held_on, version=str(session.version))
    data.update({"bond": "10", "goals": "10", "tasks": "10", "left_unsaid": "Changed"})
    client.post(url, data={"csrf_token": csrf_token_from(page.text), **data})
    db.session.expire_all()
    checkin = db.session.scalars(
        select(AllianceCheckin).where(AllianceCheckin.session_id == session.id)
    ).one()
    assert (checkin.bond, checkin.goals, checkin.tasks, checkin.left_unsaid) == (9, 4, 8, "")
