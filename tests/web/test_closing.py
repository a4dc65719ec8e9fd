"""Closing an episode: reason, plan, final PSFS; afterwards read-only apart from amendments."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import (
    make_episode,
    make_full_episode,
    make_patient,
    make_session,
    make_user,
)
from tests.web.clinical import intake_data, post_form
from therapy.extensions import db
from therapy.models import Amendment, Goal, GoalRating, TreatmentEpisode
from therapy.models.enums import EndingReason, EpisodeStatus, GoalStatus, RatingOccasion

TODAY = date.today()


@pytest.fixture
def episode(app) -> TreatmentEpisode:
    patient = make_patient(make_user())
    episode = make_episode(patient, started_on=TODAY - timedelta(days=60))
    for position, activity, status in (
        (1, "Cycling to work", GoalStatus.ACHIEVED),
        (2, "Shopping", GoalStatus.ACTIVE),
        (3, "Gardening", GoalStatus.DROPPED),
    ):
        goal = Goal(episode_id=episode.id, position=position, activity=activity, status=status)
        goal.ratings.append(
            GoalRating(occasion=RatingOccasion.BASELINE, rated_on=episode.started_on, score=3)
        )
        db.session.add(goal)
    make_session(episode, 1, held_on=TODAY - timedelta(days=7))
    db.session.commit()
    return episode


def _url(episode: TreatmentEpisode, path: str) -> str:
    return f"/patients/{episode.patient_id}/episodes/{episode.id}/{path}"


def _close_data(episode: TreatmentEpisode, **overrides: str) -> dict[str, str]:
    data = {
        "closed_on": TODAY.isoformat(),
        "ending_reason": "goals_reached",
        "ending_reason_detail": "",
        "outcome": "Cycles to work three days a week.",
        "relapse_prevention": "Notice poor sleep early; return to the breathing exercise.",
        "advice": "Time-contingent follow-up by the GP.",
        "advice_patient": "Keep cycling on the days you feel tired too.",
        "version": "1",
    }
    goals = [g for g in episode.goals if g.status != GoalStatus.DROPPED]
    for index, goal in enumerate(goals):
        data[f"final_ratings-{index}-goal_id"] = str(goal.id)
        data[f"final_ratings-{index}-score"] = str(7 + index)
    data.update(overrides)
    return data


def test_closing_records_the_ending_and_final_ratings(client, login, episode) -> None:
    login(episode.therapist)
    page = client.get(_url(episode, "close")).text
    assert "Cycling to work" in page and "Shopping" in page
    assert "Gardening" not in page  # a dropped goal gets no final rating
    response = post_form(
        client, _url(episode, "close"), _close_data(episode), follow_redirects=True
    )
    assert "The episode is closed" in response.text
    db.session.expire_all()
    assert episode.status == EpisodeStatus.CLOSED
    assert (episode.closed_on, episode.ending_reason) == (TODAY, EndingReason.GOALS_REACHED)
    assert episode.relapse_prevention.startswith("Notice poor sleep")
    assert episode.advice == "Time-contingent follow-up by the GP."
    assert episode.advice_patient == "Keep cycling on the days you feel tired too."
    assert episode.gp_consent is None, "consent is asked on the documents page only"
    ends = [
        (g.activity, r.score, r.rated_on)
        for g in episode.goals
        for r in g.ratings
        if r.occasion == RatingOccasion.END
    ]
    assert ends == [("Cycling to work", 7, TODAY), ("Shopping", 8, TODAY)]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ending_reason": ""}, "Choose the reason treatment ended."),
        ({"ending_reason": "bored"}, "Not a valid choice"),
        ({"ending_reason": "other"}, "Say what the reason was."),
        ({"closed_on": (TODAY - timedelta(days=8)).isoformat()}, "cannot be before"),
        ({"closed_on": (TODAY + timedelta(days=1)).isoformat()}, "cannot be in the future"),
        ({"final_ratings-0-score": "12"}, "Enter a whole number from 0 to 10."),
    ],
)
def test_bad_closing_input_is_refused(client, login, episode, overrides, message) -> None:
    login(episode.therapist)
    response = post_form(client, _url(episode, "close"), _close_data(episode, **overrides))
    assert response.status_code == 200
    assert message in response.text
    assert "Cycles to work three days a week." in response.text
    db.session.expire_all()
    assert episode.status == EpisodeStatus.ACTIVE


def test_closing_from_a_stale_form_is_refused(client, login, episode) -> None:
    login(episode.therapist)
    response = post_form(client, _url(episode, "close"), _close_data(episode, version="7"))
    assert "this record was changed while you were editing" in response.text
    db.session.expire_all()
    assert episode.status == EpisodeStatus.ACTIVE


def _closed(client, login, episode) -> None:
    login(episode.therapist)
    post_form(client, _url(episode, "close"), _close_data(episode))
    db.session.expire_all()
    assert episode.is_closed


def test_a_closed_episode_is_read_only(client, login, episode) -> None:
    _closed(client, login, episode)
    for path in ("intake", "close", "sessions/new"):
        response = client.get(_url(episode, path), follow_redirects=True)
        assert response.request.path == _url(episode, "").rstrip("/")  # back on the episode
        assert ("closed" in response.text and "Add an amendment instead" in response.text) or (
            path == "close" and "already closed" in response.text
        )
    page = client.get(_url(episode, "")).text
    for link in ("sessions/new", "/intake", "/close"):
        assert f"/episodes/{episode.id}/{link.strip('/')}" not in page
    # A posted intake edit is refused and keeps the typed words.
    token = csrf_token_from(page)
    data = intake_data(episode.started_on, version=str(episode.version), expectations="Late edit")
    response = client.post(_url(episode, "intake"), data={"csrf_token": token, **data})
    assert "Not saved: this episode is closed" in response.text
    assert "Late edit" in response.text
    db.session.expire_all()
    assert episode.expectations == ""


def test_an_amendment_keeps_the_original_record(client, login, episode) -> None:
    _closed(client, login, episode)
    before = (episode.outcome, episode.relapse_prevention, episode.version)
    response = post_form(
        client,
        _url(episode, "amendments/new"),
        {"target": "Closing: advice", "text": "The GP letter was sent on paper too."},
        follow_redirects=True,
    )
    assert "The amendment was added" in response.text
    assert "The GP letter was sent on paper too." in response.text
    db.session.expire_all()
    (amendment,) = db.session.scalars(select(Amendment)).all()
    assert (amendment.author_id, amendment.target) == (episode.therapist_id, "Closing: advice")
    assert (episode.outcome, episode.relapse_prevention, episode.version) == before


def test_an_empty_amendment_is_refused(client, login, episode) -> None:
    _closed(client, login, episode)
    response = post_form(
        client, _url(episode, "amendments/new"), {"target": "Session 1", "text": " \x00 "}
    )
    assert "This is needed." in response.text and 'value="Session 1"' in response.text
    assert db.session.scalars(select(Amendment)).all() == []


def test_an_open_episode_takes_no_amendments(client, login, episode) -> None:
    login(episode.therapist)
    page = client.get(_url(episode, "amendments/new")).text
    assert "still open" in page
    response = client.post(
        _url(episode, "amendments/new"),
        data={"csrf_token": csrf_token_from(page), "text": "Should not be stored"},
    )
    assert response.status_code == 200
    assert db.session.scalars(select(Amendment)).all() == []


def test_the_close_form_reminds_of_a_missing_end_of_treatment_phq15(client, login) -> None:
    therapist = make_user()
    episode = make_full_episode(make_patient(therapist), sessions=6)
    db.session.commit()
    login(therapist)
    url = f"/patients/{episode.patient_id}/episodes/{episode.id}"
    page = client.get(f"{url}/close").text
    assert "No end-of-treatment PHQ-15 has been recorded for this episode." in page
    link = f"{url}/phq15/new?timepoint=end_of_treatment"
    assert f'href="{link}"' in page
    form = client.get(link).text
    assert 'value="end_of_treatment" selected' in form or (
        'selected value="end_of_treatment"' in form
    )
