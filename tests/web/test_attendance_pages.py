"""Attendance on the pages: missed sessions and gaps as badges and warnings, "last session"
as the last attended one, missed sessions on the timeline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import make_episode, make_patient, make_session, make_user
from tests.web.test_caseload import _badges, _row
from therapy.extensions import db
from therapy.i18n.locale import format_day
from therapy.models.enums import Attendance, EpisodeStatus

TODAY = date.today()


@pytest.fixture
def therapist(app):
    user = make_user()
    db.session.commit()
    return user


def _missed(episode, number: int, held_on: date, attendance=Attendance.CANCELLED):
    return make_session(
        episode,
        number,
        held_on=held_on,
        attendance=attendance,
        duration_minutes=None,
        education_minutes=0,
        body_minutes=0,
        cognitive_minutes=0,
        activating_minutes=0,
    )


def _episode(therapist, name: str, started_days_ago: int = 40):
    patient = make_patient(therapist, family_name=name, given_name="A")
    return patient, make_episode(patient, started_on=TODAY - timedelta(days=started_days_ago))


def test_missed_sessions_in_a_row_are_a_badge_and_last_session_is_the_last_attended(
    app, client, login, therapist
) -> None:
    _patient, episode = _episode(therapist, "Absent")
    attended_on = TODAY - timedelta(days=15)
    make_session(episode, 1, held_on=attended_on)
    _missed(episode, 2, TODAY - timedelta(days=8))
    _missed(episode, 3, TODAY - timedelta(days=1), Attendance.NO_SHOW)
    db.session.commit()
    login(therapist)
    html = client.get("/").text
    assert _badges(html, "Absent, A") == ["phq15_baseline", "missed_in_a_row"]
    row = _row(html, "Absent, A")
    assert "The latest sessions were missed in a row (cancelled or no-show)." in row
    with app.test_request_context():
        assert format_day(attended_on) in row  # not yesterday's no-show
        assert format_day(TODAY - timedelta(days=1)) not in row


def test_three_weeks_without_an_attended_session_is_a_badge_only_in_treatment(
    client, login, therapist
) -> None:
    _patient, gap = _episode(therapist, "Gap")
    make_session(gap, 1, held_on=TODAY - timedelta(days=21))
    _patient, recent = _episode(therapist, "Recent")
    make_session(recent, 1, held_on=TODAY - timedelta(days=20))
    _patient, intake = _episode(therapist, "Intake")
    intake.status = EpisodeStatus.INTAKE
    db.session.commit()
    login(therapist)
    html = client.get("/").text
    assert "no_attended_session" in _badges(html, "Gap, A")
    assert "No session was attended in the last 21 days" in _row(html, "Gap, A")
    assert "no_attended_session" not in _badges(html, "Recent, A")
    assert "no_attended_session" not in _badges(html, "Intake, A")


def test_the_episode_page_warns_about_attendance_and_still_takes_the_sessions(
    client, login, therapist
) -> None:
    patient, episode = _episode(therapist, "Busy", started_days_ago=60)
    day = TODAY - timedelta(days=30)
    for number in (1, 2, 3):
        make_session(episode, number, held_on=day)  # three on one day: warned, kept
    _missed(episode, 4, TODAY - timedelta(days=25))
    _missed(episode, 5, TODAY - timedelta(days=24), Attendance.NO_SHOW)
    db.session.commit()
    login(therapist)
    html = client.get(f"/patients/{patient.id}/episodes/{episode.id}").text
    assert "Sessions 4, 5 were missed in a row (cancelled or no-show)." in html
    assert "No session was attended in the last 30 days while the episode is in treatment." in html
    assert "Sessions 1, 2, 3 were all attended on the same day; check their dates." in html
    assert "Nothing to report" not in html
    assert "3 attended of 9 planned" in html
    badges = _badges(client.get("/").text, "Busy, A")
    assert {"missed_in_a_row", "no_attended_session", "attended_twice_on_a_day"} <= set(badges)


def test_the_timeline_shows_the_missed_sessions(client, login, therapist) -> None:
    patient, episode = _episode(therapist, "Told")
    make_session(episode, 1, held_on=TODAY - timedelta(days=14))
    _missed(episode, 2, TODAY - timedelta(days=7))
    _missed(episode, 3, TODAY - timedelta(days=2), Attendance.NO_SHOW)
    db.session.commit()
    login(therapist)
    html = client.get(f"/patients/{patient.id}/episodes/{episode.id}/timeline").text
    assert html.count("Cancelled") == 1 and html.count("No-show") == 1
