"""Session dates follow the session numbers: never before the session before, nor after the next."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.factories import make_episode, make_patient, make_session, make_user
from tests.web.clinical import post_form, session_data
from therapy.extensions import db
from therapy.models import Goal, GoalRating, TherapySession, TreatmentEpisode
from therapy.models.enums import EpisodeStatus, RatingOccasion

TODAY = date.today()
START = TODAY - timedelta(days=30)


@pytest.fixture
def episode(app) -> TreatmentEpisode:
    """An episode with a goal and sessions 1-3 on days 7, 14 and 21 after the intake."""
    episode = make_episode(make_patient(make_user()), status=EpisodeStatus.ACTIVE, started_on=START)
    goal = Goal(episode_id=episode.id, position=1, activity="Cycling to work")
    goal.ratings.append(GoalRating(occasion=RatingOccasion.BASELINE, rated_on=START, score=3))
    db.session.add(goal)
    for number in (1, 2, 3):
        make_session(episode, number, held_on=START + timedelta(days=7 * number))
    db.session.commit()
    return episode


def _url(episode: TreatmentEpisode, session: TherapySession | None = None) -> str:
    base = f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions"
    return f"{base}/{session.id}/edit" if session else f"{base}/new"


def _date_error(html: str) -> str:
    match = re.search(r'<p class="field__error" id="held_on-error">([^<]*)</p>', html)
    assert match, "no message next to the date"
    return match.group(1)


def _held_on(episode: TreatmentEpisode) -> list[date]:
    db.session.expire_all()
    return [s.held_on for s in episode.sessions]


def test_a_new_session_cannot_be_dated_before_the_last_one(client, login, episode) -> None:
    login(episode.therapist)
    data = session_data(episode, START + timedelta(days=20), notes="Typed just now")
    response = post_form(client, _url(episode), data)
    assert response.status_code == 200
    assert "The session cannot be before session 3, on" in _date_error(response.text)
    assert "Typed just now" in response.text  # nothing typed is lost
    assert len(_held_on(episode)) == 3
    # The same day as session 3 is fine.
    same_day = session_data(episode, START + timedelta(days=21))
    assert post_form(client, _url(episode), same_day).status_code == 302
    assert len(_held_on(episode)) == 4


def test_an_edited_session_stays_between_its_neighbours(client, login, episode) -> None:
    login(episode.therapist)
    second = episode.sessions[1]
    for day, message in (
        (START + timedelta(days=6), "The session cannot be before session 1, on"),
        (START + timedelta(days=22), "The session cannot be after session 3, on"),
    ):
        data = session_data(episode, day, version="1", notes="Typed just now")
        response = post_form(client, _url(episode, second), data)
        assert response.status_code == 200, day
        assert message in _date_error(response.text)
        assert "Typed just now" in response.text
    assert _held_on(episode) == [START + timedelta(days=d) for d in (7, 14, 21)]
    inside = session_data(episode, START + timedelta(days=21), version="1")
    assert post_form(client, _url(episode, second), inside).status_code == 302
    assert _held_on(episode) == [START + timedelta(days=d) for d in (7, 21, 21)]


def test_the_first_and_last_sessions_are_bounded_on_one_side(client, login, episode) -> None:
    login(episode.therapist)
    first, _second, last = episode.sessions
    # Session 1 may move back to the intake day, but not before it.
    early = session_data(episode, START - timedelta(days=1), version="1")
    assert "before the intake" in _date_error(post_form(client, _url(episode, first), early).text)
    back = session_data(episode, START, version="1")
    assert post_form(client, _url(episode, first), back).status_code == 302
    # The last session may move forward to today: nothing comes after it.
    today = session_data(episode, TODAY, version="1")
    assert post_form(client, _url(episode, last), today).status_code == 302
    assert _held_on(episode) == [START, START + timedelta(days=14), TODAY]
