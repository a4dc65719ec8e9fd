"""Planned sessions: a series, moved or cancelled with a reason, and the Today page."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest

from tests.conftest import csrf_token_from, login_password_only, totp_code_for
from tests.factories import (
    PASSWORD,
    make_appointment,
    make_episode,
    make_full_episode,
    make_patient,
    make_session,
    make_user,
)
from tests.web.clinical import queries_for
from therapy.extensions import db
from therapy.models import Appointment
from therapy.models.enums import AppointmentStatus, EndingReason, EpisodeStatus

TODAY = date.today()


@pytest.fixture
def therapist(app):
    user = make_user()
    db.session.commit()
    return user


def _post(client, url: str, data: dict):
    token = csrf_token_from(client.get(url).text)
    return client.post(url, data={"csrf_token": token, **data})


def test_a_weekly_series_is_planned_and_shown(client, login, therapist) -> None:
    patient = make_patient(therapist)
    episode = make_episode(patient)
    db.session.commit()
    login(therapist)
    url = f"/patients/{patient.id}/episodes/{episode.id}/planning"
    first = TODAY + timedelta(days=1)
    response = _post(
        client,
        url,
        {"first_on": first.isoformat(), "starts_at": "14:30", "repeat": "weekly", "count": "6"},
    )
    assert response.status_code == 302
    page = client.get(url).text
    assert "6 sessions were planned." in page
    planned = db.session.scalars(
        db.select(Appointment).where(Appointment.episode_id == episode.id)
    ).all()
    assert sorted(a.planned_on for a in planned) == [first + timedelta(weeks=n) for n in range(6)]
    assert {a.starts_at for a in planned} == {time(14, 30)}
    assert page.count("<td>14:30</td>") == 6


def test_planning_refuses_a_past_day_and_keeps_what_was_typed(client, login, therapist) -> None:
    patient = make_patient(therapist)
    episode = make_episode(patient)
    db.session.commit()
    login(therapist)
    url = f"/patients/{patient.id}/episodes/{episode.id}/planning"
    response = _post(
        client,
        url,
        {
            "first_on": (TODAY - timedelta(days=1)).isoformat(),
            "starts_at": "25:99",
            "repeat": "weekly",
            "count": "40",
        },
    )
    assert response.status_code == 200
    assert "A session is planned for today or later." in response.text
    assert "Enter a whole number from 1 to 12." in response.text
    assert 'value="40"' in response.text
    assert db.session.scalars(db.select(Appointment)).all() == []


def test_moving_and_cancelling_need_a_reason_and_keep_it(client, login, therapist) -> None:
    patient = make_patient(therapist)
    episode = make_episode(patient)
    appointment = make_appointment(episode, TODAY + timedelta(days=2), time(9, 0))
    db.session.commit()
    login(therapist)
    url = f"/patients/{patient.id}/episodes/{episode.id}/planning/{appointment.id}"
    new_day = TODAY + timedelta(days=3)
    missing = _post(
        client, url, {"action": "move", "planned_on": new_day.isoformat(), "starts_at": "10:15"}
    )
    assert missing.status_code == 200 and "This is needed." in missing.text
    moved = _post(
        client,
        url,
        {
            "action": "move",
            "planned_on": new_day.isoformat(),
            "starts_at": "10:15",
            "reason": "Patient has a hospital appointment",
        },
    )
    assert moved.status_code == 302
    db.session.expire_all()
    row = db.session.get(Appointment, appointment.id)
    assert (row.planned_on, row.starts_at, row.moved_from) == (
        new_day,
        time(10, 15),
        TODAY + timedelta(days=2),
    )
    listing = client.get(f"/patients/{patient.id}/episodes/{episode.id}/planning").text
    assert "Patient has a hospital appointment" in listing and "Moved from" in listing
    cancelled = _post(client, url, {"action": "cancel", "reason": "Therapist ill"})
    assert cancelled.status_code == 302
    db.session.expire_all()
    row = db.session.get(Appointment, appointment.id)
    assert row.status == AppointmentStatus.CANCELLED and row.reason == "Therapist ill"
    again = _post(client, url, {"action": "cancel", "reason": "Twice"})
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Appointment, appointment.id).reason == "Therapist ill"


def test_today_lists_todays_planned_sessions_in_time_order_with_what_is_due(
    client, login, therapist
) -> None:
    late = make_patient(therapist, family_name="Laat", given_name="L")
    early = make_patient(therapist, family_name="Vroeg", given_name="V")
    tomorrow = make_patient(therapist, family_name="Morgen", given_name="M")
    cancelled = make_patient(therapist, family_name="Afgezegd", given_name="A")
    late_episode = make_full_episode(late, sessions=2)
    make_appointment(late_episode, TODAY, time(15, 0))
    early_episode = make_episode(early, started_on=TODAY - timedelta(days=7))
    make_session(early_episode, 1, held_on=TODAY - timedelta(days=2))  # no check-in
    make_appointment(early_episode, TODAY, time(8, 45))
    make_appointment(make_episode(tomorrow), TODAY + timedelta(days=1), time(9, 0))
    make_appointment(
        make_episode(cancelled),
        TODAY,
        time(11, 0),
        status=AppointmentStatus.CANCELLED,
        reason="ill",
    )
    other = make_user()
    make_appointment(make_episode(make_patient(other, family_name="Anders")), TODAY, time(9, 0))
    db.session.commit()
    login(therapist)
    html = client.get("/today").text
    rows = re.findall(r'<tr class="today-row">(.*?)</tr>', html, re.S)
    assert [re.search(r"\d\d:\d\d", row).group(0) for row in rows] == ["08:45", "15:00"]
    assert "Vroeg, V" in rows[0] and "Laat, L" in rows[1]
    for absent in ("Morgen", "Afgezegd", "Anders"):
        assert absent not in html
    session_form = f"/patients/{early.id}/episodes/{early_episode.id}/sessions/new"
    assert f'href="{session_form}"' in rows[0]
    assert "badge--checkin_missing" in rows[0] and "badge--phq15_baseline" in rows[0]
    assert f'href="/patients/{early.id}/episodes/{early_episode.id}/phq15"' in rows[0]
    assert "badge--no_attended_session" in rows[1]  # weeks since the last session
    assert client.get(session_form).status_code == 200


def test_today_is_the_start_page_after_login(app, therapist) -> None:
    client = login_password_only(app.test_client(), therapist, PASSWORD)
    page = client.get("/login/code")
    response = client.post(
        "/login/code",
        data={"csrf_token": csrf_token_from(page.text), "code": totp_code_for(therapist)},
    )
    assert response.headers["Location"] == "/today"
    assert "No session is planned for today." in client.get("/today").text


def test_today_runs_the_same_queries_for_2_or_20_planned_sessions(app, login, therapist) -> None:
    def plan(count: int) -> None:
        for n in range(count):
            episode = make_full_episode(make_patient(therapist), sessions=3)
            make_appointment(episode, TODAY, time(8 + n % 10, 0))
        db.session.commit()

    plan(2)
    client = login(therapist, test_client=app.test_client())
    few = queries_for(app, client, "/today")
    plan(18)
    many = queries_for(app, client, "/today")
    assert many == few, f"{few} queries for 2 sessions, {many} for 20"


def test_a_closed_episode_cannot_be_planned(client, login, therapist) -> None:
    patient = make_patient(therapist)
    episode = make_episode(
        patient,
        status=EpisodeStatus.CLOSED,
        closed_on=TODAY,
        ending_reason=EndingReason.GOALS_REACHED,
    )
    db.session.commit()
    login(therapist)
    response = client.get(f"/patients/{patient.id}/episodes/{episode.id}/planning")
    assert response.status_code == 302
