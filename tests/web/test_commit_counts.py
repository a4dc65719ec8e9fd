"""A save is one durable commit: the rows, their audit, the form key, the draft and messages.

Counted as the query budgets are (tests/web/commit_count.py listens to the engine). Each
save is posted as a browser posts it, with its form key and a kept draft, so the key's
claim, its result and the draft's removal are all there to be committed. The page the save
leads to is an audited read: it commits once too, its read event together with the clearing
of the message it shows.

The login's activity time is written at most once per SESSION_TOUCH_SECONDS (20 s as served;
the suite sets 0, so that every request would write it): here it is set back to the served
value, as between two requests of a therapist at work. A request that does write it commits
that first, on its own, so that the activity counts even when the request then fails.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import csrf_token_from
from tests.factories import make_episode, make_patient, make_user
from tests.web.clinical import intake_data, session_data
from tests.web.commit_count import counting_commits
from tests.web.phq15_forms import practice_today, radios
from tests.web.query_count import counting_queries
from therapy.audit.chain import verify_chain
from therapy.extensions import db
from therapy.models import AuditEvent, FormDraft, FormSubmission, Goal, GoalRating
from therapy.models.enums import EpisodeStatus, RatingOccasion


@pytest.fixture
def therapist_client(app, login):
    app.config["SESSION_TOUCH_SECONDS"] = 20
    therapist = make_user()
    patient = make_patient(therapist)
    db.session.commit()
    return login(therapist), patient


def _save_once(client: FlaskClient, url: str, data: dict) -> str:
    """Keep a draft, then post the form with its key; asserts one commit; the location."""
    page = client.get(url)
    assert page.status_code == 200
    token = csrf_token_from(page.text)
    key = re.search(r'name="form_key"[^>]*value="([^"]+)"', page.text)
    assert key is not None
    kept = client.post(
        "/drafts/save", data={"csrf_token": token, "_draft_path": url, "symptom_course": "x"}
    )
    assert kept.status_code == 200, kept.text
    with counting_commits() as commits:
        response = client.post(url, data={"csrf_token": token, "form_key": key.group(1), **data})
    assert response.status_code == 302, response.text
    assert len(commits) == 1, commits
    # Everything was in that one commit: no draft left, the key says where the save went.
    assert db.session.scalar(select(func.count()).select_from(FormDraft)) == 0
    result = db.session.scalar(
        select(FormSubmission.result_url).where(FormSubmission.form_key == key.group(1))
    )
    assert result == response.location
    return response.location


def _read_once(client: FlaskClient, location: str, message: str) -> None:
    with counting_commits() as commits:
        page = client.get(location)
    assert page.status_code == 200
    assert message in page.text
    assert len(commits) == 1, commits
    # The message was cleared in that commit: the next page does not show it again.
    assert message not in client.get(location).text


def test_a_session_save_is_one_commit(therapist_client) -> None:
    client, patient = therapist_client
    episode = make_episode(
        patient, status=EpisodeStatus.INTAKE, started_on=practice_today() - timedelta(days=30)
    )
    goal = Goal(episode_id=episode.id, position=1, activity="Cycling to work")
    goal.ratings.append(
        GoalRating(occasion=RatingOccasion.BASELINE, rated_on=episode.started_on, score=3)
    )
    db.session.add(goal)
    db.session.commit()
    url = f"/patients/{patient.id}/episodes/{episode.id}/sessions/new"
    location = _save_once(client, url, session_data(episode, practice_today()))
    _read_once(client, location, "Session 1 was saved.")


def test_a_phq15_entry_is_one_commit(therapist_client) -> None:
    client, patient = therapist_client
    episode = make_episode(patient)
    db.session.commit()
    url = f"/patients/{patient.id}/episodes/{episode.id}/phq15/new"
    data = {
        "timepoint": "baseline",
        "administered_on": practice_today().isoformat(),
        "session_id": "",
        "timepoint_note": "",
        "quick": "",
        **radios("111011101110111"),  # twelve ones: 12,
    }
    location = _save_once(client, url, data)
    _read_once(client, location, "PHQ-15 saved: total 12.")


def test_an_intake_is_one_commit(therapist_client) -> None:
    client, patient = therapist_client
    url = f"/patients/{patient.id}/episodes/new"
    location = _save_once(client, url, intake_data(practice_today()))
    _read_once(client, location, "The intake was saved.")


def test_a_save_reads_the_chains_tail_once_and_leaves_it_intact(therapist_client) -> None:
    """A save appends several events (the session, its check-in, techniques, ratings): the
    transaction holds the chain's lock, so each follows the one before without asking the
    table again, and the chain verifies end to end."""
    client, patient = therapist_client
    episode = make_episode(
        patient, status=EpisodeStatus.INTAKE, started_on=practice_today() - timedelta(days=30)
    )
    for position in (1, 2, 3):
        goal = Goal(episode_id=episode.id, position=position, activity=f"Activity {position}")
        goal.ratings.append(
            GoalRating(occasion=RatingOccasion.BASELINE, rated_on=episode.started_on, score=3)
        )
        db.session.add(goal)
    db.session.commit()
    url = f"/patients/{patient.id}/episodes/{episode.id}/sessions/new"
    data = session_data(episode, practice_today())
    page = client.get(url)
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    with counting_queries() as statements:
        response = client.post(url, data={"csrf_token": csrf_token_from(page.text), **data})
    assert response.status_code == 302
    appended = db.session.scalar(select(func.count()).select_from(AuditEvent)) - before
    tails = [s for s in statements if "FROM audit_event ORDER BY audit_event.id DESC" in s]
    locks = [s for s in statements if "pg_advisory_xact_lock" in s]
    assert appended >= 6
    assert len(tails) == 1
    assert len(locks) == (1 if db.engine.dialect.name == "postgresql" else 0)
    assert verify_chain().intact
