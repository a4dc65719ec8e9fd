"""Intake: opening an episode with referral, request for help and PSFS goals; editing it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_episode, make_patient, make_session, make_user
from tests.web.clinical import intake_data, post_form
from therapy.extensions import db
from therapy.models import Goal, GoalRating, TreatmentEpisode
from therapy.models.enums import AnswerSource, EpisodeStatus, RatingOccasion
from therapy.models.types import utcnow
from therapy.services.episodes.intake import IntakeAfterSessions, IntakeDetails, update_intake
from therapy.services.psfs.void import void_rating

TODAY = date.today()


@pytest.fixture
def patient(app):
    therapist = make_user()
    patient = make_patient(therapist)
    db.session.commit()
    return patient


def _episodes(patient) -> list[TreatmentEpisode]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(TreatmentEpisode).where(TreatmentEpisode.patient_id == patient.id)
        )
    )


def test_intake_opens_an_episode_with_goals_and_baseline_ratings(client, login, patient) -> None:
    login(patient.therapist)
    url = f"/patients/{patient.id}/episodes/new"
    response = post_form(client, url, intake_data(TODAY), follow_redirects=True)
    assert "The intake was saved" in response.text
    (episode,) = _episodes(patient)
    assert episode.status == EpisodeStatus.INTAKE
    assert episode.request_for_help == "I want to cycle to work again."
    assert [(g.position, g.activity) for g in episode.goals] == [
        (1, "Cycling to work"),
        (2, "Shopping"),
    ]
    baselines = [(r.occasion, r.score, r.rated_on) for g in episode.goals for r in g.ratings]
    assert baselines == [
        (RatingOccasion.BASELINE, 3, TODAY),
        (RatingOccasion.BASELINE, 4, TODAY),
    ]
    # The episode page links onward.
    for path in ("sessions/new", "intake", "close", "timeline"):
        assert f"/episodes/{episode.id}/{path}" in response.text


def test_intake_form_starts_with_sensible_defaults(client, login, patient) -> None:
    login(patient.therapist)
    page = client.get(f"/patients/{patient.id}/episodes/new").text
    assert f'value="{TODAY.isoformat()}"' in page
    assert 'name="planned_sessions"' in page and 'value="9"' in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"planned_sessions": "4"}, "6 to 12: give a reason"),
        ({"planned_sessions": "41"}, "Enter a whole number from 1 to 40."),
        ({"planned_sessions": str(10**30)}, "Enter a whole number from 1 to 40."),
        ({"planned_sessions": ""}, "Enter a whole number from 1 to 40."),
        ({"goals-2-patient_words": "Words without an activity"}, "Name the activity"),
        ({"goals-2-baseline": "5"}, "Name the activity"),
        ({"goals-1-baseline": ""}, "Rate the activity as it is now"),
        ({"goals-0-baseline": "11"}, "Enter a whole number from 0 to 10."),
        ({"referral_date": (TODAY + timedelta(days=1)).isoformat()}, "in the future"),
        ({"started_on": "9999-12-31"}, "in the future"),
        ({"started_on": "0001-01-01"}, "cannot be before 1900"),
        (
            {"referral_date": TODAY.isoformat(), "started_on": (TODAY - timedelta(1)).isoformat()},
            "The referral cannot be after the intake date.",
        ),
        ({"referred_by": "12345"}, "Not a valid choice"),
    ],
)
def test_bad_intake_is_refused_and_the_typed_text_stays(
    client, login, patient, overrides, message
) -> None:
    login(patient.therapist)
    response = post_form(
        client, f"/patients/{patient.id}/episodes/new", intake_data(TODAY, **overrides)
    )
    assert response.status_code == 200, response.headers.get("Location")
    assert message in response.text
    assert "I want to cycle to work again." in response.text
    assert "Cycling wears me out for the day." in response.text
    assert _episodes(patient) == []


def test_planning_outside_6_to_12_is_saved_with_a_reason(client, login, patient) -> None:
    login(patient.therapist)
    post_form(
        client,
        f"/patients/{patient.id}/episodes/new",
        intake_data(TODAY, planned_sessions="14", planned_sessions_reason="Two problems."),
    )
    (episode,) = _episodes(patient)
    assert (episode.planned_sessions, episode.planned_sessions_reason) == (14, "Two problems.")


def test_a_second_open_episode_is_refused(client, login, patient) -> None:
    make_episode(patient)
    db.session.commit()
    login(patient.therapist)
    url = f"/patients/{patient.id}/episodes/new"
    assert "already has an open treatment episode" in client.get(url).text
    post_form(client, url, intake_data(TODAY))
    assert len(_episodes(patient)) == 1


def test_a_new_episode_may_follow_a_closed_one(client, login, patient) -> None:
    make_episode(
        patient,
        status=EpisodeStatus.CLOSED,
        closed_on=TODAY - timedelta(days=100),
        started_on=TODAY - timedelta(days=200),
        ending_reason="goals_reached",
    )
    db.session.commit()
    login(patient.therapist)
    post_form(client, f"/patients/{patient.id}/episodes/new", intake_data(TODAY))
    assert len(_episodes(patient)) == 2


def _open_with_goals(patient) -> TreatmentEpisode:
    login_episode = make_episode(patient, status=EpisodeStatus.INTAKE)
    for position, activity in ((1, "Cycling to work"), (2, "Shopping")):
        goal = Goal(episode_id=login_episode.id, position=position, activity=activity)
        goal.ratings.append(
            GoalRating(occasion=RatingOccasion.BASELINE, rated_on=login_episode.started_on, score=3)
        )
        db.session.add(goal)
    db.session.commit()
    return login_episode


def test_edit_intake_updates_goals_and_baselines(client, login, patient) -> None:
    episode = _open_with_goals(patient)
    login(patient.therapist)
    url = f"/patients/{patient.id}/episodes/{episode.id}/intake"
    page = client.get(url).text
    assert 'value="Cycling to work"' in page
    data = intake_data(
        episode.started_on,
        version="1",
        **{
            "goals-0-baseline": "2",
            "goals-1-activity": "",
            "goals-1-baseline": "",
            "goals-2-activity": "Reading",
            "goals-2-baseline": "6",
        },
    )
    assert post_form(client, url, data).status_code == 302
    db.session.expire_all()
    assert [(g.position, g.activity, g.ratings[0].score) for g in episode.goals] == [
        (1, "Cycling to work", 2),
        (3, "Reading", 6),
    ]
    assert episode.version == 2


def _remove_goal_2(client, login, patient, episode: TreatmentEpisode):
    """The therapist empties goal 2's row in the intake and saves."""
    login(patient.therapist)
    url = f"/patients/{patient.id}/episodes/{episode.id}/intake"
    data = intake_data(
        episode.started_on, version="1", **{"goals-1-activity": "", "goals-1-baseline": ""}
    )
    return post_form(client, url, data)


def test_a_goal_rated_in_a_session_cannot_be_removed(client, login, patient) -> None:
    episode = _open_with_goals(patient)
    session = make_session(episode, 1)
    goal = episode.goals[1]
    goal.ratings.append(
        GoalRating(
            occasion=RatingOccasion.REVIEW, rated_on=session.held_on, score=5, session_id=session.id
        )
    )
    db.session.commit()
    response = _remove_goal_2(client, login, patient, episode)
    assert "cannot be removed" in response.text
    db.session.expire_all()
    assert len(episode.goals) == 2 and episode.version == 1


def test_edit_intake_from_a_stale_form_never_overwrites(client, login, patient) -> None:
    episode = _open_with_goals(patient)
    login(patient.therapist)
    url = f"/patients/{patient.id}/episodes/{episode.id}/intake"
    post_form(client, url, intake_data(episode.started_on, version="1", expectations="First"))
    response = post_form(
        client, url, intake_data(episode.started_on, version="1", expectations="Second tab")
    )
    assert "this record was changed while you were editing" in response.text
    assert "Second tab" in response.text
    db.session.expire_all()
    assert episode.expectations == "First"


def _field_error(html: str, field_id: str) -> str:
    """The message shown next to one field."""
    match = re.search(rf'<p class="field__error" id="{field_id}-error">([^<]*)</p>', html)
    assert match, f"no error next to {field_id}"
    return match.group(1)


def test_the_intake_date_cannot_move_past_a_logged_session(client, login, patient) -> None:
    episode = _open_with_goals(patient)
    first = make_session(episode, 1).held_on
    make_session(episode, 2)
    db.session.commit()
    started = episode.started_on
    login(patient.therapist)
    url = f"/patients/{patient.id}/episodes/{episode.id}/intake"
    late = intake_data(first + timedelta(days=1), version="1", expectations="Typed just now")
    response = post_form(client, url, late)
    assert response.status_code == 200
    message = _field_error(response.text, "started_on")
    assert "The intake cannot be after the first session, on" in message
    assert "Typed just now" in response.text
    assert f'value="{(first + timedelta(days=1)).isoformat()}"' in response.text
    db.session.expire_all()
    assert episode.started_on == started and episode.version == 1
    assert {r.rated_on for g in episode.goals for r in g.ratings} == {started}
    # The day of the first session itself is fine: the baselines move with the intake.
    assert post_form(client, url, intake_data(first, version="1")).status_code == 302
    db.session.expire_all()
    assert episode.started_on == first
    assert {r.rated_on for g in episode.goals for r in g.ratings} == {first}


def test_a_session_logged_while_the_intake_form_was_open_still_stops_it(
    client, login, patient, monkeypatch
) -> None:
    episode = _open_with_goals(patient)
    first = make_session(episode, 1).held_on
    db.session.commit()
    login(patient.therapist)
    # The form saw no session yet; the service checks again when it saves.
    monkeypatch.setattr("therapy.episodes.views.first_session_date", lambda _id: None)
    url = f"/patients/{patient.id}/episodes/{episode.id}/intake"
    data = intake_data(first + timedelta(days=3), version="1", expectations="Typed just now")
    response = post_form(client, url, data)
    assert response.status_code == 200
    assert "cannot be after the first session" in _field_error(response.text, "started_on")
    assert "Typed just now" in response.text
    db.session.expire_all()
    assert episode.started_on < first and episode.version == 1


def test_update_intake_refuses_a_date_after_the_first_session(app, patient) -> None:
    episode = _open_with_goals(patient)
    first = make_session(episode, 1).held_on
    details = IntakeDetails(
        started_on=first + timedelta(days=1),
        referral_date=episode.referral_date,
        referred_by_id=None,
        referral_question="",
        request_for_help="",
        expectations="",
        planned_sessions=9,
        planned_sessions_reason="",
        goals=(),
    )
    with pytest.raises(IntakeAfterSessions) as refused:
        update_intake(episode, details, episode.version)
    assert refused.value.first_session == first


def _patient_gave_the_baseline(episode: TreatmentEpisode) -> GoalRating:
    """Goal 2's baseline, as the patient gave it on a personal link two days after the start."""
    baseline = episode.goals[1].ratings[0]
    baseline.source = AnswerSource.PATIENT_LINK
    baseline.rated_on = episode.started_on + timedelta(days=2)
    baseline.score = 4
    db.session.commit()
    return baseline


def test_the_patients_own_baseline_keeps_its_score_and_date(client, login, patient) -> None:
    episode = _open_with_goals(patient)
    given = _patient_gave_the_baseline(episode)
    given_on = given.rated_on
    login(patient.therapist)
    url = f"/patients/{patient.id}/episodes/{episode.id}/intake"
    form = client.get(url).text
    assert 'name="goals-1-baseline"' in form
    # Said beside the field before saving: goal 2's baseline is the patient's own, goal 1's not.
    assert form.count("it stays as the patient gave it") == 1
    assert "This baseline was answered by the patient with a personal link" in form
    # Saved again with the patient's score (as the form shows it) and another start date.
    data = intake_data(
        episode.started_on - timedelta(days=1),
        version="1",
        **{"goals-0-baseline": "5", "goals-1-baseline": "4"},
    )
    assert post_form(client, url, data).status_code == 302
    db.session.expire_all()
    assert [r.score for g in episode.goals for r in g.ratings] == [5, 4]
    assert (given.score, given.rated_on, given.source) == (4, given_on, AnswerSource.PATIENT_LINK)


def test_the_patients_own_baseline_is_not_overwritten(client, login, patient) -> None:
    episode = _open_with_goals(patient)
    given = _patient_gave_the_baseline(episode)
    login(patient.therapist)
    url = f"/patients/{patient.id}/episodes/{episode.id}/intake"
    data = intake_data(
        episode.started_on,
        version="1",
        **{"goals-1-baseline": "9", "goals-1-patient_words": "Kept as typed"},
    )
    response = post_form(client, url, data)
    assert response.status_code == 200
    assert "own answer is not changed here" in response.text
    assert "Kept as typed" in response.text  # what the therapist typed stays in the form
    db.session.expire_all()
    assert given.score == 4 and episode.version == 1


def test_a_goal_the_patient_rated_cannot_be_removed(client, login, patient) -> None:
    episode = _open_with_goals(patient)
    given = _patient_gave_the_baseline(episode)
    void_rating(given, "Answered by her partner", voided_by_id=patient.therapist_id, now=utcnow())
    db.session.commit()
    response = _remove_goal_2(client, login, patient, episode)
    assert "The patient rated this goal themselves, so it cannot be removed" in response.text
    db.session.expire_all()
    assert len(episode.goals) == 2 and db.session.get(GoalRating, given.id) is not None
