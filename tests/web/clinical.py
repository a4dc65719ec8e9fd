"""Helpers for the clinical web tests: valid form data, posting with a token, counting queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from flask import Flask, request_finished
from flask.testing import FlaskClient
from flask_sqlalchemy.record_queries import get_recorded_queries

from tests.conftest import csrf_token_from
from therapy.models import TreatmentEpisode


def post_form(client: FlaskClient, url: str, data: dict[str, Any], **kwargs: Any):
    """Open the form page for a fresh CSRF token, then post the data to it."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return client.post(url, data={"csrf_token": csrf_token_from(page.text), **data}, **kwargs)


def patient_data(**overrides: Any) -> dict[str, Any]:
    """A valid new-patient form (the record number is the app's to give, never typed)."""
    data: dict[str, Any] = {
        "given_name": "Marieke",
        "family_name": "van den Berg",
        "date_of_birth": "1979-05-04",
        "sex": "female",
        "education_level": "middle",
        "address": "Oudegracht 1\n3511 AA Utrecht",
        "phone": "030 123 45 67",
        "email": "m.vdberg@example.nl",
        "gp": "",
        "main_symptoms": ["fatigue", "headaches"],
        "other_symptoms": "Tight jaw",
        "symptom_intensity": "7",
    }
    data.update(overrides)
    return data


def intake_data(day: date, **overrides: Any) -> dict[str, Any]:
    """A valid intake with two PSFS goals."""
    data: dict[str, Any] = {
        "started_on": day.isoformat(),
        "referral_date": day.isoformat(),
        "referred_by": "",
        "referral_question": "Persistent fatigue; please explain and activate.",
        "request_for_help": "I want to cycle to work again.",
        "expectations": "Exercises for at home.",
        "planned_sessions": "9",
        "planned_sessions_reason": "",
        "goals-0-activity": "Cycling to work",
        "goals-0-patient_words": "Cycling wears me out for the day.",
        "goals-0-baseline": "3",
        "goals-1-activity": "Shopping",
        "goals-1-patient_words": "",
        "goals-1-baseline": "4",
    }
    data.update(overrides)
    return data


def session_data(episode: TreatmentEpisode, day: date, **overrides: Any) -> dict[str, Any]:
    """A valid attended session that re-rates every active goal of the episode."""
    data: dict[str, Any] = {
        "held_on": day.isoformat(),
        "duration_minutes": "40",
        "attendance": "attended",
        "symptom_course": "Slept better; headache twice.",
        "scebs_somatic": "Headache in the afternoon.",
        "scebs_cognitive": "Worries it is something serious.",
        "scebs_emotional": "Frustrated.",
        "scebs_behavioural": "Skips breaks at work.",
        "scebs_social": "Partner takes over chores.",
        "education-minutes": "10",
        "education-techniques": ["symptom_explanation", "body_mind_link"],
        "education-note": "Explained the alarm system.",
        "body-minutes": "15",
        "body-techniques": ["breathing"],
        "body-note": "",
        "cognitive-minutes": "5",
        "cognitive-techniques": [],
        "cognitive-note": "",
        "activating-minutes": "10",
        "activating-techniques": ["pacing"],
        "activating-note": "",
        "home_exercises": "Breathing twice a day.",
        "notes": "",
        "alliance_bond": "8",
        "alliance_goals": "7",
        "alliance_tasks": "8",
        "left_unsaid": "",
    }
    active = [goal for goal in episode.goals if goal.status.value == "active"]
    for index, goal in enumerate(active):
        data[f"goals-{index}-goal_id"] = str(goal.id)
        data[f"goals-{index}-score"] = "5"
        data[f"goals-{index}-status"] = "active"
    data.update(overrides)
    return data


@contextmanager
def recorded_query_counts(app: Flask) -> Iterator[list[int]]:
    """The number of queries of each request made inside the block (one entry per request)."""
    counts: list[int] = []

    def finished(sender: Flask, response: Any, **extra: Any) -> None:
        counts.append(len(get_recorded_queries()))

    request_finished.connect(finished, app)
    try:
        yield counts
    finally:
        request_finished.disconnect(finished, app)


def queries_for(app: Flask, client: FlaskClient, url: str) -> int:
    """How many queries one GET of the page runs."""
    with recorded_query_counts(app) as counts:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return counts[-1]
