"""Closing sets each goal's final status, shows its last rating, and the page says "the end"."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.factories import make_episode, make_patient, make_session, make_user
from tests.web.clinical import post_form
from therapy.extensions import db
from therapy.models import Goal, GoalRating, TreatmentEpisode
from therapy.models.enums import GoalStatus, RatingOccasion

TODAY = date.today()


@pytest.fixture
def episode(app) -> TreatmentEpisode:
    """Two active goals rated 3 at intake; session 1 rates the first 6, the second 4."""
    episode = make_episode(make_patient(make_user()), started_on=TODAY - timedelta(days=60))
    session = make_session(episode, 1, held_on=TODAY - timedelta(days=7))
    for position, activity, latest in ((1, "Cycling to work", 6), (2, "Shopping", 4)):
        goal = Goal(episode_id=episode.id, position=position, activity=activity)
        goal.ratings.append(
            GoalRating(occasion=RatingOccasion.BASELINE, rated_on=episode.started_on, score=3)
        )
        goal.ratings.append(
            GoalRating(
                occasion=RatingOccasion.REVIEW,
                session_id=session.id,
                rated_on=session.held_on,
                score=latest,
            )
        )
        db.session.add(goal)
    db.session.commit()
    return episode


def _url(episode: TreatmentEpisode, path: str = "") -> str:
    return f"/patients/{episode.patient_id}/episodes/{episode.id}" + (f"/{path}" if path else "")


def _close_data(episode: TreatmentEpisode, **overrides: str) -> dict[str, str]:
    data = {
        "closed_on": TODAY.isoformat(),
        "ending_reason": "goals_reached",
        "outcome": "Cycles to work.",
        "relapse_prevention": "Pace.",
        "gp_consent": "",
        "version": "1",
    }
    for index, goal in enumerate(episode.goals):
        data[f"final_ratings-{index}-goal_id"] = str(goal.id)
        data[f"final_ratings-{index}-score"] = str(8 + index)
    data.update(overrides)
    return data


def test_the_close_form_shows_each_goal_s_last_rating_and_status(client, login, episode):
    login(episode.therapist)
    page = client.get(_url(episode, "close")).text
    last = re.findall(r'class="goal-review__last">Last rating: <strong>(\d+)</strong>', page)
    assert last == ["6", "4"]
    assert re.search(r'<select[^>]*id="final_ratings-0-status"', page)
    assert re.search(r'<option selected value="active">Active</option>', page)


def test_closing_sets_the_status_the_therapist_chose(client, login, episode) -> None:
    login(episode.therapist)
    data = _close_data(
        episode, **{"final_ratings-0-status": "achieved", "final_ratings-1-status": "active"}
    )
    assert post_form(client, _url(episode, "close"), data).status_code == 302
    db.session.expire_all()
    assert [g.status for g in episode.goals] == [GoalStatus.ACHIEVED, GoalStatus.ACTIVE]
    page = re.sub(r"<[^>]+>", " ", client.get(_url(episode)).text)
    page = re.sub(r"\s+", " ", page)
    assert "Cycling to work 3 6 8 Achieved" in page and "Shopping 3 4 9 Active" in page
    # (3 + 3) / 2 at intake, (8 + 9) / 2 at the end: the wording says the treatment ended.
    assert "PSFS mean: 3.0 at intake → 8.5 at the end of treatment (+5.5 points)" in page
    assert "8.5 now" not in page


def test_a_form_without_statuses_keeps_them_and_a_bad_one_is_refused(
    client, login, episode
) -> None:
    login(episode.therapist)
    response = post_form(
        client, _url(episode, "close"), _close_data(episode, **{"final_ratings-1-status": "won"})
    )
    assert response.status_code == 200
    assert re.search(r'id="final_ratings-1-status-error">Not a valid choice', response.text)
    assert "Cycles to work." in response.text
    assert post_form(client, _url(episode, "close"), _close_data(episode)).status_code == 302
    db.session.expire_all()
    assert episode.is_closed
    assert [g.status for g in episode.goals] == [GoalStatus.ACTIVE, GoalStatus.ACTIVE]


def test_a_closed_episode_without_later_ratings_says_so(client, login, episode) -> None:
    login(episode.therapist)
    for goal in episode.goals:
        for rating in list(goal.ratings):
            if rating.occasion != RatingOccasion.BASELINE:
                goal.ratings.remove(rating)
    db.session.commit()
    data = _close_data(episode, **{"final_ratings-0-score": "", "final_ratings-1-score": ""})
    assert post_form(client, _url(episode, "close"), data).status_code == 302
    page = client.get(_url(episode)).text
    assert "PSFS mean at intake: 3.0." in page
    assert "No goal was rated again before the end of treatment." in page
