"""Cancelling a series from one planned session onward: the rest of the episode's planned
sessions with the same reason, in one commit, each change on the audit trail; earlier,
logged and already cancelled ones stay as they were. Posted as the page's plain form (no
JavaScript)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_appointment, make_episode, make_patient, make_session, make_user
from tests.web.commit_count import counting_commits
from tests.web.forms_on_page import forms_on
from tests.web.phq15_forms import practice_today
from therapy.extensions import db
from therapy.models import Appointment, AuditEvent, FormSubmission
from therapy.models.enums import AppointmentStatus, AuditAction, EpisodeStatus

REASON = "Patient starts in the pain clinic; the series stops here"


@pytest.fixture
def series(app):
    """Six weekly planned sessions from tomorrow; the fifth was logged (held early), the
    sixth cancelled before; another episode of the same patient has its own planned one."""
    # The login's activity is written at most every 20 s as served (see test_commit_counts).
    app.config["SESSION_TOUCH_SECONDS"] = 20
    therapist = make_user()
    patient = make_patient(therapist)
    episode = make_episode(
        patient, status=EpisodeStatus.ACTIVE, started_on=practice_today() - timedelta(days=30)
    )
    first = practice_today() + timedelta(days=1)
    planned = [make_appointment(episode, first + timedelta(weeks=n), time(9, 0)) for n in range(6)]
    make_session(episode, 1, held_on=practice_today(), appointment_id=planned[4].id)
    planned[5].status, planned[5].reason = AppointmentStatus.CANCELLED, "Holiday"
    other = make_appointment(make_episode(patient), first + timedelta(weeks=3), time(9, 0))
    db.session.commit()
    return therapist, patient, episode, [a.id for a in planned], other.id


def _state(ids: list[int]) -> list[tuple[AppointmentStatus, str]]:
    db.session.expire_all()
    return [(a.status, a.reason) for a in (db.session.get(Appointment, i) for i in ids)]


def _cancel_form(client, patient, episode, appointment_id: int) -> tuple[str, dict[str, str]]:
    url = f"/patients/{patient.id}/episodes/{episode.id}/planning/{appointment_id}"
    page = client.get(url)
    assert page.status_code == 200
    form = next(f for f in forms_on(url, page.text) if "reason" in f.fields)
    assert form.fields["scope"] == "one"  # "only this one" unless chosen otherwise
    assert "This and all later planned ones of this episode" in page.text
    return url, form.fields


def test_this_and_later_cancels_the_rest_of_the_series_in_one_audited_commit(
    client, login, series
) -> None:
    therapist, patient, episode, ids, other = series
    login(therapist)
    url, fields = _cancel_form(client, patient, episode, ids[2])
    audited_before = db.session.scalar(select(db.func.max(AuditEvent.id)))
    with counting_commits() as commits:
        response = client.post(
            url, data={**fields, "action": "cancel", "scope": "later", "reason": REASON}
        )
    assert response.status_code == 302
    assert len(commits) == 1, commits
    planned, cancelled = AppointmentStatus.PLANNED, AppointmentStatus.CANCELLED
    assert _state(ids) == [
        (planned, ""),  # earlier ones untouched
        (planned, ""),
        (cancelled, REASON),  # this one and the later one still to do
        (cancelled, REASON),
        (planned, ""),  # logged: untouched
        (cancelled, "Holiday"),  # cancelled before: keeps its own reason
    ]
    assert _state([other]) == [(planned, "")]  # another episode's
    statuses = [status for status, _reason in _state(ids)]
    assert (statuses.count(cancelled), statuses.count(planned)) == (3, 3)
    # The form's key says where the save went (it was in that one commit).
    result = db.session.scalar(
        select(FormSubmission.result_url).where(FormSubmission.form_key == fields["form_key"])
    )
    assert result == response.location
    page = client.get(response.location).text
    assert "2 sessions were cancelled." in page
    # The audit trail has the change of each cancelled appointment, by this therapist.
    changed = db.session.execute(
        select(AuditEvent.object_id, AuditEvent.patient_id, AuditEvent.user_id).where(
            AuditEvent.id > audited_before,
            AuditEvent.object_type == "appointment",
            AuditEvent.action == AuditAction.UPDATE,
        )
    ).all()
    assert sorted(changed) == [
        (ids[2], patient.id, therapist.id),
        (ids[3], patient.id, therapist.id),
    ]


def test_only_this_one_cancels_one(client, login, series) -> None:
    therapist, patient, episode, ids, _other = series
    login(therapist)
    url, fields = _cancel_form(client, patient, episode, ids[1])
    response = client.post(url, data={**fields, "action": "cancel", "reason": "Patient ill"})
    assert response.status_code == 302
    assert "The session was cancelled." in client.get(response.location).text
    states = _state(ids)
    assert states[1] == (AppointmentStatus.CANCELLED, "Patient ill")
    assert [s for i, s in enumerate(states[:5]) if i != 1] == [(AppointmentStatus.PLANNED, "")] * 4


@pytest.mark.parametrize(
    "data",
    [
        {"action": "cancel", "scope": "later", "reason": "  "},
        {"action": "cancel", "scope": "everything", "reason": REASON},
        {"action": "cancel", "scope": "", "reason": REASON},
    ],
)
def test_a_series_cancel_needs_a_reason_and_a_known_choice(client, login, series, data) -> None:
    therapist, patient, episode, ids, _other = series
    login(therapist)
    url, fields = _cancel_form(client, patient, episode, ids[0])
    before = _state(ids)
    response = client.post(url, data={**fields, **data})
    assert response.status_code == 200
    assert "error-summary" in response.text
    again = next(f for f in forms_on(url, response.text) if "reason" in f.fields).fields
    assert again["reason"].strip() == data["reason"].strip()  # the typed reason stays
    assert _state(ids) == before


def test_cancelling_from_the_last_planned_one_cancels_only_it(client, login, series) -> None:
    therapist, patient, episode, ids, _other = series
    login(therapist)
    url, fields = _cancel_form(client, patient, episode, ids[3])
    response = client.post(
        url, data={**fields, "action": "cancel", "scope": "later", "reason": REASON}
    )
    assert response.status_code == 302
    assert "1 session was cancelled." in client.get(response.location).text
    assert [s for s, _r in _state(ids)].count(AppointmentStatus.CANCELLED) == 2


def test_later_on_the_same_day_counts_as_later(client, login, series) -> None:
    therapist, patient, episode, ids, _other = series
    day: date = db.session.get(Appointment, ids[0]).planned_on
    earlier = make_appointment(episode, day, time(8, 0)).id
    later = make_appointment(episode, day, time(16, 0)).id
    db.session.commit()
    login(therapist)
    url, fields = _cancel_form(client, patient, episode, ids[0])
    client.post(url, data={**fields, "action": "cancel", "scope": "later", "reason": REASON})
    assert _state([earlier, ids[0], later]) == [
        (AppointmentStatus.PLANNED, ""),
        (AppointmentStatus.CANCELLED, REASON),
        (AppointmentStatus.CANCELLED, REASON),
    ]
