"""Double submits: the same rendered form posted again saves nothing a second time."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import make_episode_in_treatment, make_user
from tests.safety.forms import post_as_browser, rendered_form
from tests.web.clinical import patient_data, session_data
from therapy.extensions import db
from therapy.models import FormSubmission, Patient, TherapySession

TODAY = date.today()


@pytest.fixture
def episode(app):
    episode = make_episode_in_treatment(TODAY, started_days_before=20)
    db.session.commit()
    return episode


def _count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_twenty_posts_of_one_session_form_log_one_session(client, login, episode) -> None:
    login(episode.therapist)
    url = f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions/new"
    tokens = rendered_form(client, url)
    data = session_data(episode, TODAY, notes="Sent with a double click")
    responses = [post_as_browser(client, url, data, tokens) for _ in range(20)]
    assert _count(TherapySession, TherapySession.episode_id == episode.id) == 1
    assert {response.status_code for response in responses} == {302}
    # Every repeat is sent where the first post went, and told why nothing more was saved.
    assert {response.headers["Location"] for response in responses} == {
        responses[0].headers["Location"]
    }
    page = client.get(responses[-1].headers["Location"])
    assert "It was saved once, not twice." in page.text


def test_a_new_rendering_of_the_form_saves_again(client, login, episode) -> None:
    login(episode.therapist)
    url = f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions/new"
    for _ in range(2):
        post_as_browser(client, url, session_data(episode, TODAY), rendered_form(client, url))
    assert _count(TherapySession, TherapySession.episode_id == episode.id) == 2


def test_a_refused_post_leaves_the_key_free_for_the_corrected_form(client, login) -> None:
    therapist = make_user()
    db.session.commit()
    login(therapist)
    tokens = rendered_form(client, "/patients/new")
    refused = post_as_browser(client, "/patients/new", patient_data(family_name=""), tokens)
    assert refused.status_code == 200 and "Please check the form" in refused.text
    saved = post_as_browser(client, "/patients/new", patient_data(), tokens)
    assert saved.status_code == 302
    assert _count(Patient, Patient.therapist_id == therapist.id) == 1
    assert _count(FormSubmission, FormSubmission.form_key == tokens["form_key"]) == 1


def test_a_key_is_per_account(client, login, app, episode) -> None:
    """Another account's post with a copied key is not mistaken for a repeat (nor blocked)."""
    login(episode.therapist)
    tokens = rendered_form(client, "/patients/new")
    post_as_browser(client, "/patients/new", patient_data(), tokens)
    colleague = make_user()
    db.session.commit()
    other = login(colleague, test_client=app.test_client())
    copied = {**rendered_form(other, "/patients/new"), "form_key": tokens["form_key"]}
    response = post_as_browser(other, "/patients/new", patient_data(), copied)
    assert response.status_code == 302
    assert _count(Patient, Patient.therapist_id == colleague.id) == 1
