"""The database itself refuses out-of-range values, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from tests.factories import make_episode, make_patient, make_session, make_user
from therapy.extensions import db
from therapy.models import AllianceCheckin, Goal, GoalRating, Phq15Administration
from therapy.models.enums import EpisodeStatus, Phq15Rule, Phq15Timepoint, RatingOccasion


@pytest.fixture
def episode(app):
    therapist = make_user()
    episode = make_episode(make_patient(therapist))
    db.session.commit()
    return episode


def _refused(change) -> None:
    with pytest.raises(IntegrityError):
        change()
        db.session.flush()
    db.session.rollback()


def _phq(episode, **fields) -> Phq15Administration:
    values = dict(
        episode_id=episode.id,
        timepoint=Phq15Timepoint.BASELINE,
        administered_on=date(2026, 1, 5),
        rule=Phq15Rule.COMPLETE,
        total=0,
        entered_by_id=episode.therapist_id,
    )
    values.update(fields)
    return Phq15Administration(**values)


def test_phq15_item_outside_0_to_2_is_refused(episode) -> None:
    _refused(lambda: db.session.add(_phq(episode, item_01=3)))
    _refused(lambda: db.session.add(_phq(episode, item_15=-1)))


def test_phq15_item4_cannot_be_both_answered_and_not_applicable(episode) -> None:
    _refused(lambda: db.session.add(_phq(episode, item_04=1, item_04_not_applicable=True)))


def test_phq15_total_and_rule_must_agree(episode) -> None:
    _refused(lambda: db.session.add(_phq(episode, total=None)))
    _refused(lambda: db.session.add(_phq(episode, total=31)))
    _refused(lambda: db.session.add(_phq(episode, rule=Phq15Rule.INCOMPLETE, total=12)))


def test_duplicate_phq15_for_the_same_timepoint_and_day_is_refused(episode) -> None:
    db.session.add(_phq(episode))
    db.session.commit()
    _refused(lambda: db.session.add(_phq(episode)))


def test_psfs_rating_outside_0_to_10_is_refused(episode) -> None:
    goal = Goal(episode_id=episode.id, position=1, activity="Walking")
    db.session.add(goal)
    db.session.flush()
    for score in (-1, 11):
        _refused(
            lambda score=score: db.session.add(
                GoalRating(
                    goal_id=goal.id,
                    occasion=RatingOccasion.BASELINE,
                    rated_on=date(2026, 1, 5),
                    score=score,
                )
            )
        )


def test_more_than_five_goals_is_refused(episode) -> None:
    _refused(lambda: db.session.add(Goal(episode_id=episode.id, position=6, activity="x")))


def test_session_duration_and_minutes_ranges(episode) -> None:
    _refused(lambda: make_session(episode, 1, duration_minutes=0))
    _refused(lambda: make_session(episode, 1, duration_minutes=241))
    _refused(lambda: make_session(episode, 1, body_minutes=-5))
    _refused(lambda: make_session(episode, 1, held_on=date(1899, 12, 31)))


def test_session_numbers_are_unique_per_episode(episode) -> None:
    make_session(episode, 1)
    db.session.commit()
    _refused(lambda: make_session(episode, 1))


def test_alliance_ratings_are_0_to_10(episode) -> None:
    session = make_session(episode, 1)
    db.session.commit()
    _refused(
        lambda: db.session.add(AllianceCheckin(session_id=session.id, bond=11, goals=5, tasks=5))
    )


def test_planned_sessions_outside_6_to_12_needs_a_reason(episode) -> None:
    def plan_four() -> None:
        episode.planned_sessions = 4

    _refused(plan_four)
    episode = db.session.merge(episode)
    episode.planned_sessions = 4
    episode.planned_sessions_reason = "Patient moves abroad in six weeks."
    db.session.commit()


def test_closed_episode_needs_an_end_date_and_reason(episode) -> None:
    def close_without_reason() -> None:
        episode.status = EpisodeStatus.CLOSED
        episode.closed_on = date.today()

    _refused(close_without_reason)


def test_intensity_outside_0_to_10_is_refused(app) -> None:
    therapist = make_user()
    _refused(lambda: make_patient(therapist, symptom_intensity=11))
