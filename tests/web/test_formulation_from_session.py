"""A SCEBS note of the session form goes into the 4P grid; cancelled sessions are no source."""

from __future__ import annotations

import html as html_text
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_episode, make_patient, make_session, make_user
from tests.web.clinical import post_form, session_data
from tests.web.forms_on_page import forms_on
from therapy.extensions import db
from therapy.models import FormulationEntry, TherapySession
from therapy.models.enums import Attendance, FormulationFactor, ScebsDimension

TODAY = date.today()


@pytest.fixture
def episode(app):
    therapist = make_user()
    episode = make_episode(make_patient(therapist), started_on=TODAY - timedelta(days=30))
    make_session(episode, 1, held_on=TODAY - timedelta(days=14))
    make_session(
        episode,
        2,
        held_on=TODAY - timedelta(days=7),
        attendance=Attendance.CANCELLED,
        duration_minutes=None,
        education_minutes=0,
        body_minutes=0,
        cognitive_minutes=0,
        activating_minutes=0,
    )
    db.session.commit()
    return episode


def _base(episode) -> str:
    return f"/patients/{episode.patient_id}/episodes/{episode.id}"


def _entries() -> list[FormulationEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(FormulationEntry).order_by(FormulationEntry.id)))


def test_a_scebs_note_lands_in_the_chosen_cell_linked_to_the_session(
    client, login, episode
) -> None:
    login(episode.therapist)
    url = f"{_base(episode)}/sessions/new"
    data = session_data(
        episode,
        TODAY,
        scebs_cognitive="Believes rest is the only cure.",
        to_grid_cognitive="perpetuating",
        to_grid_social="protective",
        scebs_social="Partner joins the walks.",
    )
    response = post_form(client, url, data, follow_redirects=True)
    assert response.status_code == 200
    assert "2 SCEBS notes were added to the formulation." in response.text
    saved = db.session.scalar(select(TherapySession).where(TherapySession.number == 3))
    entries = _entries()
    assert [(e.dimension, e.factor, e.text, e.session_id) for e in entries] == [
        (
            ScebsDimension.COGNITIVE,
            FormulationFactor.PERPETUATING,
            "Believes rest is the only cure.",
            saved.id,
        ),
        (ScebsDimension.SOCIAL, FormulationFactor.PROTECTIVE, "Partner joins the walks.", saved.id),
    ]
    grid = client.get(f"{_base(episode)}/formulation").text
    assert "Believes rest is the only cure." in grid and "Session 3" in grid

    # Saving the session again with the same picks adds nothing twice.
    edit_url = f"{_base(episode)}/sessions/{saved.id}/edit"
    form = next(f for f in forms_on(edit_url, client.get(edit_url).text) if "held_on" in f.fields)
    assert form.fields["to_grid_cognitive"] == ""  # the pick is per save, not stored
    form.fields.update(to_grid_cognitive="perpetuating")
    assert client.post(edit_url, data=form.fields).status_code == 302
    assert len(_entries()) == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"attendance": "cancelled", "to_grid_somatic": "precipitating"},
            "Only a session that took place can be where a factor came up.",
        ),
        ({"scebs_somatic": "", "to_grid_somatic": "precipitating"}, "Write the note first"),
        (
            {"scebs_somatic": "x" * 1001, "to_grid_somatic": "precipitating"},
            "A factor in the formulation is at most 1000 characters",
        ),
        ({"to_grid_somatic": "made-up"}, "Not a valid choice"),
    ],
)
def test_a_note_that_cannot_go_to_the_grid_is_explained(
    client, login, episode, overrides, message
) -> None:
    login(episode.therapist)
    data = session_data(episode, TODAY, **overrides)
    if overrides.get("attendance") == "cancelled":
        for key in list(data):
            if key.endswith("-minutes") or key.startswith("alliance") or key.endswith("-score"):
                data[key] = ""
            if key.endswith("-techniques"):
                data[key] = []
    response = post_form(client, f"{_base(episode)}/sessions/new", data)
    assert response.status_code == 200
    assert message in html_text.unescape(response.text)
    assert _entries() == []
    assert db.session.scalar(select(TherapySession).where(TherapySession.number == 3)) is None


def test_cancelled_sessions_are_not_offered_as_came_up_in(client, login, episode) -> None:
    login(episode.therapist)
    attended, cancelled = sorted(episode.sessions, key=lambda s: s.number)
    page = client.get(f"{_base(episode)}/formulation/new?dimension=social&factor=protective")
    options = page.text.split('name="session_id"')[1].split("</select>")[0]
    assert f'value="{attended.id}"' in options
    assert f'value="{cancelled.id}"' not in options
    posted = post_form(
        client,
        f"{_base(episode)}/formulation/new",
        {
            "dimension": "social",
            "factor": "protective",
            "text": "Friends",
            "session_id": cancelled.id,
        },
    )
    assert posted.status_code == 200 and _entries() == []
