"""The intake POST beside its durable-save floor: a new episode with goals and baselines.

Each intake needs a patient without an open episode, so patients are added for the app's
posts and for the floor's (bulk inserts, as the seed does), after the caseload was measured.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from sqlalchemy import Connection, func, insert, select
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from bench.floors import append_audit, form_floor_app
from bench.harness import form_fields
from therapy.clock import practice_today
from therapy.extensions import db
from therapy.models import AuditEvent, Patient
from therapy.models.types import utcnow


class GoalRow(Form):
    """A PSFS activity, in the patient's words, rated at intake."""

    activity = StringField()
    patient_words = TextAreaField()
    baseline = IntegerField(validators=[Optional(), NumberRange(0, 10)])


class IntakeFloorForm(FlaskForm):
    """The intake form's fields, one for one, with plain WTForms fields."""

    started_on = DateField(validators=[InputRequired()])
    referral_date = DateField(validators=[InputRequired()])
    referred_by = SelectField(choices=[("", "-")], validate_choice=False)
    referral_question = TextAreaField()
    request_for_help = TextAreaField()
    expectations = TextAreaField()
    planned_sessions = IntegerField(validators=[Optional(), NumberRange(1, 100)])
    planned_sessions_reason = TextAreaField()
    goals = FieldList(FormField(GoalRow), min_entries=5, max_entries=5)
    version = HiddenField()
    submit = SubmitField()


def _add_patients(count: int, therapist_id: int) -> list[int]:
    table = db.metadata.tables["patient"]
    first = 1 + int(db.session.scalar(select(func.max(Patient.id))) or 0)
    now = utcnow()
    rows = [
        {
            "id": n,
            "therapist_id": therapist_id,
            "record_number": f"I{n:07d}",
            "given_name": f"Intake{n}",
            "family_name": f"New{n:05d}",
            "date_of_birth": now.date() - timedelta(days=365 * 40),
            "sex": "female",
            "education_level": "middle",
            "address": "",
            "phone": "",
            "email": "",
            "gp_id": None,
            "other_symptoms": "",
            "symptom_intensity": 5,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        for n in range(first, first + count)
    ]
    db.session.execute(insert(table), rows)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            func.setval(func.pg_get_serial_sequence("patient", "id"), first + count).select()
        )
    db.session.commit()
    return [row["id"] for row in rows]


def intake_saver(patients: list[int], audit_rows: int) -> Callable[..., None]:
    """Insert what an intake inserts: the episode, its goals and their baselines, audit."""
    tables = db.metadata.tables
    episode_table, goal_table = tables["treatment_episode"], tables["goal"]
    where = iter(patients)

    def save(connection: Connection, form: Any) -> None:
        now = utcnow()
        episode_id = connection.execute(
            insert(episode_table).returning(episode_table.c.id),
            {
                "patient_id": next(where),
                "therapist_id": 1,
                "status": "intake",
                "referral_date": form.referral_date.data,
                "referred_by_id": None,
                "referral_question": form.referral_question.data or "",
                "request_for_help": form.request_for_help.data or "",
                "expectations": form.expectations.data or "",
                "planned_sessions": form.planned_sessions.data,
                "planned_sessions_reason": form.planned_sessions_reason.data or "",
                "started_on": form.started_on.data,
                "ending_reason_detail": "",
                "outcome": "",
                "relapse_prevention": "",
                "advice": "",
                "created_at": now,
                "updated_at": now,
                "version": 1,
            },
        ).scalar_one()
        for position, row in enumerate(form.goals, start=1):
            if not row.form.activity.data:
                continue
            goal_id = connection.execute(
                insert(goal_table).returning(goal_table.c.id),
                {
                    "episode_id": episode_id,
                    "position": position,
                    "activity": row.form.activity.data,
                    "patient_words": row.form.patient_words.data or "",
                    "status": "active",
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                },
            ).scalar_one()
            connection.execute(
                insert(tables["goal_rating"]),
                {
                    "goal_id": goal_id,
                    "session_id": None,
                    "occasion": "baseline",
                    "rated_on": form.started_on.data,
                    "score": row.form.baseline.data,
                    "created_at": now,
                },
            )
        append_audit(connection, audit_rows, 1, "treatment_episode")

    return save


INTAKE = {
    "referral_question": "Persistent fatigue; please explain and activate.",
    "request_for_help": "I want to cycle to work again.",
    "expectations": "Exercises for at home.",
    "planned_sessions": "9",
    "goals-0-activity": "Cycling to work",
    "goals-0-patient_words": "Cycling wears me out for the day.",
    "goals-0-baseline": "3",
    "goals-1-activity": "Shopping",
    "goals-1-baseline": "4",
}


def intake_runs(
    app: Flask, client: FlaskClient, url: str, runs: int, timed: Callable[..., Any]
) -> dict[str, Any]:
    """The intake POST and its durable-save floor, timed."""
    calls = runs + 6
    with app.app_context():
        today = practice_today().isoformat()
        mine, floors = _add_patients(calls, 1), _add_patients(calls, 1)
        count = db.session.scalar(select(func.count()).select_from(AuditEvent))
        db.session.remove()

    def fields(patient: int) -> tuple[str, dict[str, str]]:
        page = f"/patients/{patient}/episodes/new"
        found = form_fields(client.get(page).text)
        found.update(INTAKE, started_on=today, referral_date=today)
        return page, found

    posts = [fields(patient) for patient in mine]
    first_url, first = posts.pop()
    if client.post(first_url, data=first).status_code != 302:
        raise SystemExit("intake POST refused")
    with app.app_context():
        audits = db.session.scalar(select(func.count()).select_from(AuditEvent)) - count
        db.session.remove()
    floor = form_floor_app(url, IntakeFloorForm, intake_saver(floors, audits)).test_client()
    token = form_fields(floor.get("/form").text)["csrf_token"]
    floor_forms = [dict(data) for _page, data in posts]

    def app_post() -> None:
        page, data = posts.pop()
        response = client.post(page, data=data)
        if response.status_code != 302:
            raise SystemExit(f"intake POST refused: HTTP {response.status_code}")

    def floor_post() -> None:
        response = floor.post("/form", data={**floor_forms.pop(), "csrf_token": token})
        if response.status_code != 302:
            raise SystemExit(f"intake floor refused: {response.text[:300]}")

    return {
        "intake POST": timed(app, "intake POST", app_post, runs),
        "intake durable-save floor": timed(app, "intake save", floor_post, runs),
    }
