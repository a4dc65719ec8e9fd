"""The error summary lists every error as a link to its field, with the field's label."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date, timedelta

import pytest

from tests.factories import make_episode, make_patient, make_user
from tests.web.clinical import intake_data, patient_data, post_form, session_data
from therapy.extensions import db
from therapy.models import Goal, GoalRating
from therapy.models.enums import EpisodeStatus, RatingOccasion

TODAY = date.today()
SCRIPT = '<script src="/static/js/error-summary.js" defer></script>'


def _summary(page: str) -> list[tuple[str | None, str]]:
    """The summary's lines as (link target or None, text)."""
    match = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert match, "no error summary"
    lines = []
    for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S):
        link = re.fullmatch(r'<a href="#([^"]+)">(.*)</a>', item, re.S)
        target, text = (link.group(1), link.group(2)) if link else (None, item)
        lines.append((target, html_lib.unescape(text)))
    return lines


def _assert_links_reach_fields(page: str, lines: list[tuple[str | None, str]]) -> None:
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    for target, text in lines:
        assert target is not None, text
        assert target in ids, (target, text)
        # The field it links to shows the same message next to it.
        assert re.search(rf'id="{re.escape(target)}-error">', page), target


@pytest.fixture
def therapist(app):
    user = make_user()
    db.session.commit()
    return user


def test_intake_errors_link_to_their_fields(client, login, therapist) -> None:
    patient = make_patient(therapist)
    db.session.commit()
    login(therapist)
    data = intake_data(
        TODAY,
        planned_sessions="14",
        **{"goals-1-baseline": "", "goals-2-patient_words": "Walking hurts"},
    )
    page = post_form(client, f"/patients/{patient.id}/episodes/new", data).text
    lines = _summary(page)
    assert lines == [
        (
            "planned_sessions_reason",
            "Reason for a different number: You planned 14 sessions, outside the protocol's "
            "6 to 12: give a reason.",
        ),
        ("goals-1-baseline", "Goal 2: Rating now (0–10): Rate the activity as it is now, 0 to 10."),
        ("goals-2-activity", "Goal 3: Activity: Name the activity, or clear this row."),
    ]
    _assert_links_reach_fields(page, lines)
    assert page.count(SCRIPT) == 1
    script = client.get("/static/js/error-summary.js")
    script.close()
    assert script.status_code == 200


def test_session_errors_name_goal_rows_and_elements_as_the_page_does(
    client, login, therapist
) -> None:
    episode = make_episode(
        make_patient(therapist), status=EpisodeStatus.ACTIVE, started_on=TODAY - timedelta(30)
    )
    for position, activity in ((1, "Shopping"), (2, "Cycling to work")):
        goal = Goal(episode_id=episode.id, position=position, activity=activity)
        goal.ratings.append(
            GoalRating(occasion=RatingOccasion.BASELINE, rated_on=episode.started_on, score=3)
        )
        db.session.add(goal)
    db.session.commit()
    episode.goals[0].status = episode.goals[0].status.DROPPED  # the form reviews goal 2 only
    db.session.commit()
    login(therapist)
    data = session_data(
        episode,
        TODAY,
        **{"body-minutes": "", "goals-0-score": "11", "attendance": "", "duration_minutes": "0"},
    )
    page = post_form(
        client, f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions/new", data
    ).text
    lines = _summary(page)
    assert lines == [
        ("duration_minutes", "Duration (minutes): Enter a whole number from 1 to 240."),
        ("attendance", "Attendance: Choose whether the session took place."),
        ("body-minutes", "Body-oriented exercises: You ticked techniques here: give the minutes."),
        ("goals-0-score", "2. Cycling to work: Rating today: Enter a whole number from 0 to 10."),
    ]
    _assert_links_reach_fields(page, lines)


def test_a_page_without_errors_has_no_summary_and_no_script(client, login, therapist) -> None:
    login(therapist)
    page = client.get("/patients/new").text
    assert "error-summary" not in page and SCRIPT not in page
    page = post_form(client, "/patients/new", patient_data(given_name="", email="nope")).text
    lines = _summary(page)
    assert [target for target, _text in lines] == ["given_name", "email"]
    _assert_links_reach_fields(page, lines)
