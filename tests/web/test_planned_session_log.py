"""A session logged from Today records its planned session; once logged, Today says so and
the planned session is no longer moved or cancelled; a form naming a planned session that
cannot be logged saves nothing, keeps what was typed and says why."""

from __future__ import annotations

import html as html_text
import re
from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token_from
from tests.factories import make_appointment, make_episode, make_patient, make_session, make_user
from tests.web.clinical import session_data
from tests.web.forms_on_page import forms_on
from tests.web.phq15_forms import practice_today
from therapy.extensions import db
from therapy.models import Appointment, TherapySession
from therapy.models.enums import AppointmentStatus, EpisodeStatus

TYPED = "Slept better after the breathing exercise; typed by hand."


@pytest.fixture
def day(app):
    """A therapist with an episode in treatment and one session planned for today at 10:00."""
    therapist = make_user()
    patient = make_patient(therapist, family_name="Vandaag", given_name="V")
    episode = make_episode(
        patient, status=EpisodeStatus.ACTIVE, started_on=practice_today() - timedelta(days=14)
    )
    appointment = make_appointment(episode, practice_today(), time(10, 0))
    db.session.commit()
    return therapist, patient, episode, appointment


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr class="today-row[^"]*">(.*?)</tr>', html, re.S)


def _sessions(episode_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(TherapySession)
        .where(TherapySession.episode_id == episode_id)
    )


def _form_page(client, url: str) -> tuple[str, dict[str, str]]:
    page = client.get(url)
    assert page.status_code == 200, page.text
    form = next(f for f in forms_on(url, page.text) if "held_on" in f.fields)
    return page.text, form.fields


def test_a_session_logged_from_today_records_its_appointment(client, login, day) -> None:
    therapist, patient, episode, appointment = day
    login(therapist)
    row = _rows(client.get("/today").text)[0]
    link = html_text.unescape(re.search(r'href="([^"]*/sessions/new[^"]*)"', row).group(1))
    assert link == (
        f"/patients/{patient.id}/episodes/{episode.id}/sessions/new?appointment={appointment.id}"
    )
    page, fields = _form_page(client, link)
    assert fields["appointment_id"] == str(appointment.id)
    assert fields["held_on"] == practice_today().isoformat()
    assert "For the session planned on" in page and "10:00" in page

    data = session_data(episode, practice_today(), notes=TYPED)
    data.update(appointment_id=fields["appointment_id"], csrf_token=csrf_token_from(page))
    saved = client.post(link, data=data)
    assert saved.status_code == 302, saved.text
    db.session.expire_all()
    session = db.session.scalar(select(TherapySession).where(TherapySession.notes == TYPED))
    assert session is not None and session.appointment_id == appointment.id

    # Today: the row is logged (a link to the session), no longer a form to fill in.
    today = client.get("/today").text
    row = _rows(today)[0]
    detail = f"/patients/{patient.id}/episodes/{episode.id}/sessions/{session.id}"
    assert f'href="{detail}"' in row and "Logged as session 1" in row
    assert "Log this session" not in row and "sessions/new" not in row
    assert "1 session planned today · 1 logged" in today
    assert client.get(detail).status_code == 200
    # The planning page says so too, and offers no move or cancel for it.
    planning = client.get(f"/patients/{patient.id}/episodes/{episode.id}/planning").text
    assert "Logged as session 1" in planning
    assert f"/planning/{appointment.id}" not in planning
    # Nor is it the episode's next session any more.
    episode_page = client.get(f"/patients/{patient.id}/episodes/{episode.id}").text
    assert "None planned" in episode_page and "10:00" not in episode_page


def test_a_logged_appointment_is_not_moved_or_cancelled(client, login, day) -> None:
    therapist, patient, episode, appointment = day
    make_session(episode, 1, held_on=practice_today(), appointment_id=appointment.id)
    db.session.commit()
    login(therapist)
    url = f"/patients/{patient.id}/episodes/{episode.id}/planning/{appointment.id}"
    opened = client.get(url)
    assert opened.status_code == 302
    assert "it can no longer be moved or cancelled" in client.get(opened.location).text
    token = csrf_token_from(
        client.get(f"/patients/{patient.id}/episodes/{episode.id}/planning").text
    )
    for data in (
        {"action": "cancel", "scope": "one", "reason": "Patient ill"},
        {"action": "cancel", "scope": "later", "reason": "Patient ill"},
        {
            "action": "move",
            "planned_on": (practice_today() + timedelta(days=1)).isoformat(),
            "starts_at": "11:00",
            "reason": "Therapist on a course",
        },
    ):
        refused = client.post(url, data={"csrf_token": token, **data})
        assert refused.status_code == 302
        assert "it can no longer be moved or cancelled" in client.get(refused.location).text
    db.session.expire_all()
    kept = db.session.get(Appointment, appointment.id)
    assert (kept.status, kept.planned_on, kept.starts_at, kept.reason) == (
        AppointmentStatus.PLANNED,
        practice_today(),
        time(10, 0),
        "",
    )


def _elsewhere(episode, other_episode, appointment) -> int:
    return make_appointment(other_episode, practice_today(), time(11, 0)).id


def _cancelled(episode, other_episode, appointment) -> int:
    appointment.status, appointment.reason = AppointmentStatus.CANCELLED, "Patient ill"
    return appointment.id


def _logged(episode, other_episode, appointment) -> int:
    make_session(episode, 1, held_on=practice_today(), appointment_id=appointment.id)
    return appointment.id


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (_elsewhere, "is not one of this episode’s"),
        (_cancelled, "was cancelled"),
        (_logged, "A session was logged already"),
    ],
)
def test_a_planned_session_that_cannot_be_logged_saves_nothing_and_keeps_the_typing(
    client, login, day, spoil, reason
) -> None:
    therapist, patient, episode, appointment = day
    other_episode = make_episode(make_patient(therapist), status=EpisodeStatus.ACTIVE)
    db.session.commit()
    login(therapist)
    url = f"/patients/{patient.id}/episodes/{episode.id}/sessions/new"
    page, fields = _form_page(client, f"{url}?appointment={appointment.id}")
    assert fields["appointment_id"] == str(appointment.id)
    # Meanwhile (another tab, or a form posted by hand) the planned session changes.
    asked = spoil(episode, other_episode, appointment)
    db.session.commit()
    before = _sessions(episode.id)
    number = before + 1
    data = session_data(episode, practice_today(), notes=TYPED)
    data.update(appointment_id=str(asked), csrf_token=csrf_token_from(page))
    refused = client.post(url, data=data)
    assert refused.status_code == 200
    assert "Not saved: the planned session cannot be logged" in refused.text
    assert html_text.unescape(reason) in html_text.unescape(refused.text)
    assert _sessions(episode.id) == before
    again = next(f for f in forms_on(url, refused.text) if "held_on" in f.fields).fields
    assert again["notes"].strip() == TYPED  # nothing typed is lost
    assert again["appointment_id"] == ""  # saving again logs it without the planned session
    saved = client.post(url, data={**data, "appointment_id": again["appointment_id"]})
    assert saved.status_code == 302, saved.text
    db.session.expire_all()
    session = db.session.scalar(
        select(TherapySession).where(
            TherapySession.episode_id == episode.id, TherapySession.number == number
        )
    )
    assert session.notes == TYPED and session.appointment_id is None


@pytest.mark.parametrize(
    "asked", ["abc", "", "-1", "0", "99999999999999999999", "1e3", "%00", "1;drop"]
)
def test_a_hand_made_appointment_parameter_never_breaks_the_form(client, login, day, asked) -> None:
    therapist, patient, episode, _appointment = day
    login(therapist)
    url = f"/patients/{patient.id}/episodes/{episode.id}/sessions/new"
    page = client.get(f"{url}?appointment={asked}")
    assert page.status_code == 200
    fields = next(f for f in forms_on(url, page.text) if "held_on" in f.fields).fields
    assert fields["appointment_id"] == ""
    data = session_data(episode, practice_today(), appointment_id=asked)
    data["csrf_token"] = csrf_token_from(page.text)
    posted = client.post(url, data=data)
    assert posted.status_code in (200, 302), posted.text
    if posted.status_code == 200:
        assert "error-summary" in posted.text


def test_another_therapists_appointment_is_not_linked(client, login, day) -> None:
    therapist, patient, episode, _appointment = day
    theirs = make_appointment(make_episode(make_patient(make_user()), status=EpisodeStatus.ACTIVE))
    db.session.commit()
    login(therapist)
    url = f"/patients/{patient.id}/episodes/{episode.id}/sessions/new"
    page = client.get(f"{url}?appointment={theirs.id}")
    assert page.status_code == 200
    assert "This form is not linked to a planned session" in page.text
    assert "is not one of this episode" in page.text
    fields = next(f for f in forms_on(url, page.text) if "held_on" in f.fields).fields
    assert fields["appointment_id"] == ""
