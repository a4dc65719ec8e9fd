"""The floors' saves: the rows each real save writes, inserted with Core in one transaction.

Each takes the validated floor form (bench/floors.py) and the caller's connection; the
caller commits once (durably: the app's engine settings).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert

from bench.floors import SessionFloorForm, append_audit
from therapy.extensions import db
from therapy.models.types import utcnow
from therapy.services.phq15 import scoring


def session_saver(episode_id: int, first_number: int, audit_rows: int) -> Callable[..., None]:
    """Insert what a session save inserts: session, techniques, ratings, check-in, audit."""
    tables = db.metadata.tables
    numbers = iter(range(first_number, 10_000))

    def save(connection: Connection, form: SessionFloorForm) -> None:
        now = utcnow()
        elements = ("education", "body", "cognitive", "activating")
        session_id = connection.execute(
            insert(tables["therapy_session"]).returning(tables["therapy_session"].c.id),
            {
                "episode_id": episode_id,
                "number": next(numbers),
                "held_on": form.held_on.data or date.today(),
                "duration_minutes": form.duration_minutes.data,
                "attendance": "attended",
                **{f"{e}_minutes": form[e].form.minutes.data for e in elements},
                **{f"{e}_note": form[e].form.note.data or "" for e in elements},
                **{f"scebs_{d}": form[f"scebs_{d}"].data or "" for d in _SCEBS},
                "symptom_course": form.symptom_course.data or "",
                "home_exercises": form.home_exercises.data or "",
                "notes": form.notes.data or "",
                "created_by_id": 1,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            },
        ).scalar_one()
        techniques = [
            {"session_id": session_id, "element": e, "technique": t}
            for e in elements
            for t in form[e].form.techniques.data or ()
        ]
        if techniques:
            connection.execute(insert(tables["session_technique"]), techniques)
        ratings = [
            {
                "goal_id": int(row.form.goal_id.data),
                "session_id": session_id,
                "occasion": "review",
                "rated_on": form.held_on.data,
                "score": row.form.score.data,
                "created_at": now,
            }
            for row in form.goals
            if row.form.goal_id.data and row.form.score.data is not None
        ]
        if ratings:
            connection.execute(insert(tables["goal_rating"]), ratings)
        connection.execute(
            insert(tables["alliance_checkin"]),
            {
                "session_id": session_id,
                "bond": form.alliance_bond.data,
                "goals": form.alliance_goals.data,
                "tasks": form.alliance_tasks.data,
                "left_unsaid": form.left_unsaid.data or "",
                "created_at": now,
            },
        )
        append_audit(connection, audit_rows, 1, "therapy_session")

    return save


_SCEBS = ("somatic", "cognitive", "emotional", "behavioural", "social")


def phq15_saver(targets: list[tuple[int, date]], audit_rows: int) -> Callable[..., None]:
    """Insert what a PHQ-15 entry inserts: the administration, scored, and its audit rows."""
    table = db.metadata.tables["phq15_administration"]
    where = iter(targets)

    def save(connection: Connection, form: Any) -> None:
        episode_id, day = next(where)
        answers: list[int | str | None] = []
        for n in range(1, 16):
            value = form[f"item_{n:02d}"].data
            answers.append(scoring.NOT_APPLICABLE if value == "na" else int(value or 0))
        result = scoring.score(answers, "female")
        connection.execute(
            insert(table),
            {
                **{
                    f"item_{n:02d}": a if isinstance(a, int) else None
                    for n, a in enumerate(answers, start=1)
                },
                "episode_id": episode_id,
                "timepoint": "other",
                "session_id": None,
                "timepoint_note": form.timepoint_note.data or "floor",
                "administered_on": day,
                "item_04_not_applicable": False,
                "total": result.total,
                "rule": result.rule.value,
                "entered_by_id": 1,
                "source": "therapist_paper",
                "created_at": utcnow(),
            },
        )
        append_audit(connection, audit_rows, 1, "phq15_administration")

    return save
