"""The session log: one form, sensible defaults, every rule next to its field, never lost text."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from tests.factories import make_episode, make_patient, make_session, make_user
from tests.web.clinical import post_form, session_data
from therapy.extensions import db
from therapy.models import Goal, GoalRating, TherapySession, TreatmentEpisode
from therapy.models.enums import (
    Attendance,
    EndingReason,
    EpisodeStatus,
    GoalStatus,
    ProtocolElement,
    RatingOccasion,
)

TODAY = date.today()


@pytest.fixture
def episode(app) -> TreatmentEpisode:
    therapist = make_user()
    patient = make_patient(therapist)
    episode = make_episode(
        patient, status=EpisodeStatus.INTAKE, started_on=TODAY - timedelta(days=30)
    )
    for position, activity in ((1, "Cycling to work"), (2, "Shopping")):
        goal = Goal(episode_id=episode.id, position=position, activity=activity)
        goal.ratings.append(
            GoalRating(occasion=RatingOccasion.BASELINE, rated_on=episode.started_on, score=3)
        )
        db.session.add(goal)
    db.session.commit()
    return episode


def _new_url(episode: TreatmentEpisode) -> str:
    return f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions/new"


def _sessions(episode: TreatmentEpisode) -> list[TherapySession]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(TherapySession)
            .where(TherapySession.episode_id == episode.id)
            .order_by(TherapySession.number)
        )
    )


def test_first_session_is_saved_whole_and_starts_the_treatment(client, login, episode) -> None:
    login(episode.therapist)
    response = post_form(
        client, _new_url(episode), session_data(episode, TODAY), follow_redirects=True
    )
    assert "Session 1 was saved." in response.text
    (session,) = _sessions(episode)
    assert (session.number, session.held_on, session.duration_minutes) == (1, TODAY, 40)
    assert {e: session.minutes_for(e) for e in ProtocolElement} == {
        ProtocolElement.EDUCATION: 10,
        ProtocolElement.BODY: 15,
        ProtocolElement.COGNITIVE: 5,
        ProtocolElement.ACTIVATING: 10,
    }
    assert sorted((t.element.value, t.technique) for t in session.techniques) == [
        ("activating", "pacing"),
        ("body", "breathing"),
        ("education", "body_mind_link"),
        ("education", "symptom_explanation"),
    ]
    assert session.scebs_social == "Partner takes over chores."
    assert (session.alliance.bond, session.alliance.goals, session.alliance.tasks) == (8, 7, 8)
    reviews = [r for g in episode.goals for r in g.ratings if r.session_id == session.id]
    assert [(r.occasion, r.score, r.rated_on) for r in reviews] == [
        (RatingOccasion.REVIEW, 5, TODAY)
    ] * 2
    assert episode.status == EpisodeStatus.ACTIVE


def test_the_form_opens_with_defaults_and_the_next_number(client, login, episode) -> None:
    for number in (1, 2, 5):
        make_session(episode, number, held_on=episode.started_on + timedelta(days=number))
    db.session.commit()
    login(episode.therapist)
    page = client.get(_new_url(episode)).text
    assert "Session 6" in page
    assert f'value="{TODAY.isoformat()}"' in page
    assert 'name="duration_minutes"' in page and 'value="45"' in page
    assert re.search(r'<input checked[^>]*value="attended"', page)
    # The exact check-in wording and the plain statement that it is not validated.
    for text in (
        "I felt heard and respected",
        "We worked on what I wanted",
        "The approach fits me",
        "Anything left unsaid?",
        "not a validated instrument",
    ):
        assert text in page
    post_form(client, _new_url(episode), session_data(episode, TODAY))
    assert [s.number for s in _sessions(episode)] == [1, 2, 5, 6]


def test_today_is_the_practice_s_today(client, login, episode, app) -> None:
    # 23:30 UTC on 14 March is already 15 March in Amsterdam (UTC+1).
    with time_machine.travel(datetime(2026, 3, 14, 23, 30, tzinfo=UTC), tick=False):
        episode.started_on = date(2026, 3, 1)
        db.session.commit()
        login(episode.therapist)
        page = client.get(_new_url(episode)).text
        assert 'value="2026-03-15"' in page
        post_form(client, _new_url(episode), session_data(episode, date(2026, 3, 15)))
        assert [s.held_on for s in _sessions(episode)] == [date(2026, 3, 15)]
        response = post_form(client, _new_url(episode), session_data(episode, date(2026, 3, 16)))
        assert "The date cannot be in the future." in response.text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"held_on": (TODAY + timedelta(days=1)).isoformat()}, "cannot be in the future"),
        ({"held_on": "9999-12-31"}, "cannot be in the future"),
        ({"held_on": "0001-01-01"}, "cannot be before 1900"),
        ({"held_on": (TODAY - timedelta(days=31)).isoformat()}, "cannot be before the intake"),
        ({"held_on": ""}, "Enter a date."),
        ({"duration_minutes": ""}, "How long did the session last?"),
        ({"duration_minutes": "0"}, "Enter a whole number from 1 to 240."),
        ({"duration_minutes": str(10**30)}, "Enter a whole number from 1 to 240."),
        ({"duration_minutes": "30"}, "add up to 40 minutes, more than the 30 minutes"),
        ({"body-minutes": "-5"}, "Enter a whole number from 0 to 240."),
        ({"body-minutes": "", "body-techniques": ["breathing"]}, "give the minutes"),
        ({"body-techniques": ["levitation"]}, "not a valid choice"),
        ({"attendance": "maybe"}, "Not a valid choice"),
        ({"attendance": "cancelled"}, "Choose “Attended”, or clear them"),
        ({"alliance_goals": ""}, "Give all three check-in ratings, or none."),
        ({"alliance_tasks": "11"}, "Enter a whole number from 0 to 10."),
        (
            {"alliance_bond": "", "alliance_goals": "", "alliance_tasks": "", "left_unsaid": "x"},
            "belongs to the check-in",
        ),
        ({"goals-0-score": "10.5"}, "Enter a whole number from 0 to 10."),
        ({"goals-1-status": "forgotten"}, "Not a valid choice"),
        ({"notes": "x" * 10_001}, "Keep this under 10000 characters."),
    ],
)
def test_bad_session_input_is_refused_next_to_the_field(
    client, login, episode, overrides, message
) -> None:
    login(episode.therapist)
    response = post_form(client, _new_url(episode), session_data(episode, TODAY, **overrides))
    assert response.status_code == 200
    assert message in response.text
    assert "Worries it is something serious." in response.text  # typed text stays
    assert "Explained the alarm system." in response.text
    assert _sessions(episode) == []


def test_duration_outside_the_protocol_saves_with_a_warning(client, login, episode) -> None:
    login(episode.therapist)
    response = post_form(
        client,
        _new_url(episode),
        session_data(episode, TODAY, duration_minutes="60"),
        follow_redirects=True,
    )
    assert "Session 1 was saved." in response.text
    assert "60 minutes is outside the protocol" in response.text
    assert _sessions(episode)[0].duration_minutes == 60


def test_a_cancelled_session_counts_as_logged_but_not_attended(client, login, episode) -> None:
    login(episode.therapist)
    data = session_data(episode, TODAY, attendance="cancelled", notes="Ill with flu.")
    for name in ("education", "body", "cognitive", "activating"):
        data[f"{name}-minutes"] = ""
        data[f"{name}-techniques"] = []
    data.update(alliance_bond="", alliance_goals="", alliance_tasks="")
    data.update({"goals-0-score": "", "goals-1-score": ""})
    post_form(client, _new_url(episode), data)
    (session,) = _sessions(episode)
    assert session.attendance == Attendance.CANCELLED
    assert session.duration_minutes is None and session.alliance is None
    assert session.notes == "Ill with flu."


def test_an_achieved_goal_leaves_the_next_session_form(client, login, episode) -> None:
    login(episode.therapist)
    post_form(
        client, _new_url(episode), session_data(episode, TODAY, **{"goals-1-status": "achieved"})
    )
    db.session.expire_all()
    assert [g.status for g in episode.goals] == [GoalStatus.ACTIVE, GoalStatus.ACHIEVED]
    page = client.get(_new_url(episode)).text
    assert "Cycling to work" in page and "Shopping" not in page


def test_a_goal_of_another_episode_cannot_be_slipped_in(client, login, episode) -> None:
    other = make_episode(make_patient(episode.therapist))
    foreign = Goal(episode_id=other.id, position=1, activity="Foreign")
    db.session.add(foreign)
    db.session.commit()
    login(episode.therapist)
    data = session_data(episode, TODAY, **{"goals-1-goal_id": str(foreign.id)})
    response = post_form(client, _new_url(episode), data)
    assert "the goals changed while this form was open" in response.text
    assert _sessions(episode) == []
    db.session.expire_all()
    assert foreign.ratings == []


def test_editing_a_session_updates_it_and_its_ratings(client, login, episode) -> None:
    login(episode.therapist)
    post_form(client, _new_url(episode), session_data(episode, TODAY))
    (session,) = _sessions(episode)
    url = f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions/{session.id}/edit"
    page = client.get(url).text
    assert "Explained the alarm system." in page and 'value="1"' in page
    data = session_data(episode, TODAY, version="1", **{"goals-0-score": "", "body-minutes": "5"})
    assert post_form(client, url, data).status_code == 302
    (session,) = _sessions(episode)
    assert (session.body_minutes, session.version) == (5, 2)
    rated = [g.activity for g in episode.goals for r in g.ratings if r.session_id == session.id]
    assert rated == ["Shopping"]


def test_editing_from_a_stale_form_never_overwrites(client, login, episode) -> None:
    login(episode.therapist)
    post_form(client, _new_url(episode), session_data(episode, TODAY))
    (session,) = _sessions(episode)
    url = f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions/{session.id}/edit"
    post_form(client, url, session_data(episode, TODAY, version="1", notes="First save"))
    response = post_form(client, url, session_data(episode, TODAY, version="1", notes="Other tab"))
    assert "this record was changed while you were editing" in response.text
    assert "Other tab" in response.text
    assert _sessions(episode)[0].notes == "First save"


def _close(episode: TreatmentEpisode) -> None:
    episode.status = EpisodeStatus.CLOSED
    episode.closed_on = TODAY
    episode.ending_reason = EndingReason.GOALS_REACHED
    db.session.commit()


def test_a_closed_episode_refuses_new_and_edited_sessions(client, login, episode) -> None:
    session = make_session(episode, 1, held_on=TODAY)
    db.session.commit()
    login(episode.therapist)
    data = session_data(episode, TODAY, version="1", notes="Typed before it closed")
    page = client.get(_new_url(episode)).text  # a token while the episode is open
    _close(episode)
    from tests.conftest import csrf_token_from

    token = csrf_token_from(page)
    response = client.post(_new_url(episode), data={"csrf_token": token, **data})
    assert "Not saved: this episode is closed" in response.text
    assert "Typed before it closed" in response.text
    edit = f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions/{session.id}/edit"
    response = client.post(edit, data={"csrf_token": token, **data})
    assert "Not saved: this episode is closed" in response.text
    assert [s.notes for s in _sessions(episode)] == [""]
    for url in (_new_url(episode), edit):
        response = client.get(url, follow_redirects=True)
        assert "This episode is closed" in response.text
    assert (
        "Log a session"
        not in client.get(f"/patients/{episode.patient_id}/episodes/{episode.id}").text
    )
