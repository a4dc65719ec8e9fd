"""Between the session form and the service: defaults, stored values, and plain data."""

from __future__ import annotations

from datetime import date
from typing import Any

from therapy.models import Goal, TherapySession
from therapy.models.enums import (
    Attendance,
    FormulationFactor,
    GoalStatus,
    ProtocolElement,
    ScebsDimension,
)
from therapy.services.episodes.session_log import ElementEntry, GoalReview, SessionEntry
from therapy.services.protocol.elements import PROTOCOL_MAX_MINUTES
from therapy.sessions.forms import SessionForm


def session_entry(form: SessionForm) -> SessionEntry:
    """The validated form as the service's plain data."""
    ratings = [f.data for f in form.alliance_fields()]
    return SessionEntry(
        held_on=form.held_on.data,
        attendance=Attendance(form.attendance.data),
        duration=form.duration_minutes.data,
        elements={
            element: ElementEntry(
                minutes=sub.minutes.data or 0,
                techniques=tuple(sub.techniques.data or ()),
                note=sub.note.data or "",
            )
            for element, sub in form.element_forms().items()
        },
        scebs={d: getattr(form, f"scebs_{d.value}").data or "" for d in ScebsDimension},
        symptom_course=form.symptom_course.data or "",
        home_exercises=form.home_exercises.data or "",
        notes=form.notes.data or "",
        reviews=tuple(
            GoalReview(
                goal_id=int(entry.form.goal_id.data or 0),
                score=entry.form.score.data,
                status=GoalStatus(entry.form.status.data),
            )
            for entry in form.goals
        ),
        alliance=None if None in ratings else (ratings[0], ratings[1], ratings[2]),
        left_unsaid=form.left_unsaid.data or "",
        appointment_id=form.appointment_id.data,
    )


def grid_picks(form: SessionForm) -> dict[ScebsDimension, FormulationFactor]:
    """The SCEBS notes to add to the 4P grid, by dimension, with the chosen P."""
    return {d: FormulationFactor(f.data) for d, f in form.grid_picks().items()}


def carried_elements(last: TherapySession) -> dict[str, dict[str, Any]]:
    """The last session's minutes and techniques per element, to start from (notes not)."""
    techniques: dict[ProtocolElement, list[str]] = {element: [] for element in ProtocolElement}
    for technique in last.techniques:
        techniques[technique.element].append(technique.technique)
    return {
        element.value: {
            "minutes": last.minutes_for(element) or None,
            "techniques": techniques[element],
            "note": "",
        }
        for element in ProtocolElement
    }


def new_session_data(goals: list[Goal], today: date) -> dict[str, Any]:
    """Sensible defaults: today, 45 minutes, attended, every active goal to re-rate."""
    return {
        "held_on": today,
        "duration_minutes": PROTOCOL_MAX_MINUTES,
        "attendance": Attendance.ATTENDED.value,
        "goals": [{"goal_id": g.id, "score": None, "status": g.status.value} for g in goals],
    }


def session_form_data(session: TherapySession, goals: list[Goal]) -> dict[str, Any]:
    """The form's values for an existing session."""
    techniques: dict[ProtocolElement, list[str]] = {element: [] for element in ProtocolElement}
    for technique in session.techniques:
        techniques[technique.element].append(technique.technique)
    scores = {
        rating.goal_id: rating.score
        for goal in goals
        for rating in goal.ratings
        if rating.session_id == session.id
    }
    alliance = session.alliance
    data: dict[str, Any] = {
        "held_on": session.held_on,
        "duration_minutes": session.duration_minutes,
        "attendance": session.attendance.value,
        "symptom_course": session.symptom_course,
        "home_exercises": session.home_exercises,
        "notes": session.notes,
        "alliance_bond": alliance.bond if alliance else None,
        "alliance_goals": alliance.goals if alliance else None,
        "alliance_tasks": alliance.tasks if alliance else None,
        "left_unsaid": alliance.left_unsaid if alliance else "",
        "goals": [
            {"goal_id": g.id, "score": scores.get(g.id), "status": g.status.value} for g in goals
        ],
        "version": session.version,
    }
    for dimension in ScebsDimension:
        data[f"scebs_{dimension.value}"] = getattr(session, f"scebs_{dimension.value}")
    for element in ProtocolElement:
        minutes = session.minutes_for(element)
        data[element.value] = {
            "minutes": minutes or None,
            "techniques": techniques[element],
            "note": getattr(session, f"{element.value}_note"),
        }
    return data
