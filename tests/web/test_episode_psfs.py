"""The PSFS summary on the episode page: each goal's intake rating against its latest."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_episode, make_patient, make_session, make_user
from therapy.extensions import db
from therapy.models import Goal, GoalRating, TreatmentEpisode
from therapy.models.enums import RatingOccasion


@pytest.fixture
def therapist(app):
    user = make_user()
    db.session.commit()
    return user


def _episode_with_goals(therapist, intake: dict[str, int]) -> TreatmentEpisode:
    episode = make_episode(make_patient(therapist))
    for position, (activity, score) in enumerate(intake.items(), start=1):
        goal = Goal(episode_id=episode.id, position=position, activity=activity)
        goal.ratings.append(
            GoalRating(occasion=RatingOccasion.BASELINE, rated_on=episode.started_on, score=score)
        )
        episode.goals.append(goal)
    db.session.flush()
    return episode


def _rate(episode: TreatmentEpisode, number: int, scores: dict[str, int]) -> None:
    session = make_session(episode, number)
    for goal in episode.goals:
        if goal.activity in scores:
            goal.ratings.append(
                GoalRating(
                    occasion=RatingOccasion.REVIEW,
                    session_id=session.id,
                    rated_on=session.held_on,
                    score=scores[goal.activity],
                )
            )
    db.session.flush()


def _summary(client, episode: TreatmentEpisode) -> str:
    """The PSFS card's text, with its verdict badge as [improvement] or [deterioration]."""
    html = client.get(f"/patients/{episode.patient_id}/episodes/{episode.id}").text
    section = html[html.index("Goals (PSFS)") : html.index("<h2>Sessions</h2>")]
    section = re.sub(
        r'<span class="badge badge--\w+">clinically important (\w+)</span>', r"[\1]", section
    )
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))


def test_the_audit_repro_compares_the_goal_rated_at_both_ends(client, login, therapist) -> None:
    episode = _episode_with_goals(therapist, {"Walking": 2, "Reading": 8})
    _rate(episode, 1, {"Walking": 4})  # Reading was not rated in session 1
    db.session.commit()
    login(therapist)
    text = _summary(client, episode)
    # Before the fix: "5.0 at intake → 4.0 now", a fall that never happened.
    assert "PSFS mean: 2.0 at intake → 4.0 now (+2.0 points)" in text
    assert "(+2.0 points) [improvement]" in text
    assert "Compared on the 1 goal rated both at intake and since" in text
    assert "5.0 at intake" not in text


def test_a_fall_of_the_mcid_is_named_a_deterioration(client, login, therapist) -> None:
    episode = _episode_with_goals(therapist, {"Walking": 7, "Reading": 6})
    _rate(episode, 1, {"Walking": 6, "Reading": 6})
    _rate(episode, 2, {"Walking": 4, "Reading": 5})
    db.session.commit()
    login(therapist)
    text = _summary(client, episode)
    # (7 + 6) / 2 = 6.5 at intake; session 2: (4 + 5) / 2 = 4.5.
    assert "PSFS mean: 6.5 at intake → 4.5 now (-2.0 points)" in text
    assert "(-2.0 points) [deterioration]" in text
    assert "[improvement]" not in text
    assert "Compared on" not in text  # every goal was re-rated


def test_a_small_change_says_so_and_intake_alone_is_not_a_change(client, login, therapist):
    episode = _episode_with_goals(therapist, {"Walking": 4, "Reading": 5})
    login(therapist)
    db.session.commit()
    text = _summary(client, episode)
    assert "PSFS mean at intake: 4.5. No goal has been re-rated yet." in text
    assert "→" not in text
    _rate(episode, 1, {"Walking": 5, "Reading": 5})
    db.session.commit()
    text = _summary(client, episode)
    assert "PSFS mean: 4.5 at intake → 5.0 now (+0.5 points)" in text
    assert "(+0.5 points) less than the clinically important 2 points either way" in text
    assert "[improvement]" not in text and "[deterioration]" not in text
