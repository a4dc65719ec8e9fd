"""The session form carries the last attended session forward: its notes beside the fields."""

from __future__ import annotations

import html as html_text
import re
from datetime import date, timedelta

import pytest

from tests.factories import make_episode, make_patient, make_session, make_user
from therapy.extensions import db
from therapy.models import SessionTechnique
from therapy.models.enums import Attendance, ProtocolElement

TODAY = date.today()


@pytest.fixture
def episode(app):
    therapist = make_user()
    episode = make_episode(make_patient(therapist), started_on=TODAY - timedelta(days=30))
    make_session(
        episode,
        1,
        held_on=TODAY - timedelta(days=14),
        home_exercises="Breathing <twice> a day",
        notes="Plan: start graded walking",
        scebs_emotional="Afraid the pain means damage",
        symptom_course="Headaches less often",
    )
    make_session(
        episode,
        2,
        held_on=TODAY - timedelta(days=7),
        attendance=Attendance.CANCELLED,
        duration_minutes=None,
        home_exercises="",
    )
    db.session.commit()
    return episode


def _new(client, episode, query: str = "") -> str:
    url = f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions/new{query}"
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def test_the_last_attended_sessions_notes_are_beside_the_fields(client, login, episode) -> None:
    login(episode.therapist)
    page = _new(client, episode)
    home = re.search(r'<details class="carry" id="carry-home" open>(.*?)</details>', page, re.S)
    assert home, "home exercises and plan, open beside the fields"
    assert "session 1," in home.group(1)  # the cancelled session 2 is not the last one
    assert "Breathing &lt;twice&gt; a day" in home.group(1)
    assert "Plan: start graded walking" in home.group(1)
    scebs = re.search(r'<details class="carry" id="carry-scebs">(.*?)</details>', page, re.S)
    assert scebs and "Afraid the pain means damage" in scebs.group(1)
    assert "Headaches less often" in scebs.group(1)
    textarea = re.search(r'<textarea[^>]*name="home_exercises"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea and textarea.group(1).strip() == "", "nothing is copied unasked"


def test_copying_the_last_home_exercises_is_one_link(client, login, episode) -> None:
    login(episode.therapist)
    page = _new(client, episode)
    link = re.search(r'id="copy-home-exercises"[^>]*href="([^"]+)"', page, re.S)
    assert link
    filled = client.get(html_text.unescape(link.group(1))).text
    textarea = re.search(r'<textarea[^>]*name="home_exercises"[^>]*>(.*?)</textarea>', filled, re.S)
    assert textarea and html_text.unescape(textarea.group(1)).strip() == "Breathing <twice> a day"


def test_a_first_session_has_nothing_to_carry(client, login) -> None:
    therapist = make_user()
    episode = make_episode(make_patient(therapist))
    db.session.commit()
    login(therapist)
    page = _new(client, episode, "?carry=home")
    assert 'class="carry"' not in page and "copy-home-exercises" not in page


def test_the_last_sessions_elements_are_one_link(client, login, episode) -> None:
    first = min(episode.sessions, key=lambda s: s.number)
    first.techniques.append(SessionTechnique(element=ProtocolElement.BODY, technique="breathing"))
    db.session.commit()
    login(episode.therapist)
    page = _new(client, episode)
    summary = re.search(r'<div class="carry" id="carry-elements">(.*?)</div>', page, re.S)
    assert summary and "Body-oriented exercises 15 min (Breathing exercises)" in summary.group(1)
    assert re.search(r'name="body-minutes"[^>]*value=""', page), "nothing is filled in unasked"
    link = re.search(r'id="copy-elements"[^>]*href="([^"]+)"', page, re.S)
    assert link
    filled = client.get(html_text.unescape(link.group(1))).text
    for element, minutes in (("education", 10), ("body", 15), ("cognitive", 5), ("activating", 10)):
        assert re.search(rf'name="{element}-minutes"[^>]*value="{minutes}"', filled), element
    assert re.search(r'checked[^>]*value="breathing"|value="breathing"[^>]*checked', filled)
    # Nothing else is copied: the notes of the elements start empty.
    note = re.search(r'<textarea[^>]*name="body-note"[^>]*>(.*?)</textarea>', filled, re.S)
    assert note and note.group(1).strip() == ""
