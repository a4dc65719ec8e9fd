"""Planned sessions: a series by day and time, moved or cancelled with a reason (one or the
rest of a series), the one a session is logged for, and a day's list.

`series_days` is pure; the operations take explicit arguments and flush (the view commits).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import joinedload

from therapy.extensions import db
from therapy.models import Appointment, Patient, TherapySession, TreatmentEpisode
from therapy.models.enums import AppointmentStatus, Repeat

MAX_SERIES = 12  # the protocol's most sessions: a longer series is planned again later
STEP = {
    Repeat.ONCE: timedelta(0),
    Repeat.WEEKLY: timedelta(weeks=1),
    Repeat.FORTNIGHTLY: timedelta(weeks=2),
}


class NothingToChange(Exception):
    """The appointment is cancelled already: it is not moved or cancelled again."""


class AlreadyLogged(Exception):
    """A session was logged for the appointment: it is not moved or cancelled any more."""


class NotLoggable(Exception):
    """The appointment a session form names cannot be logged: `why` says what is wrong."""

    ELSEWHERE = "elsewhere"  # not an appointment of this episode (or gone)
    CANCELLED = "cancelled"
    LOGGED = "logged"

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def series_days(first: date, repeat: Repeat, count: int) -> list[date]:
    """The days of a series: `count` sessions from `first`, a week or two apart (one if once)."""
    if repeat == Repeat.ONCE:
        return [first]
    return [first + STEP[repeat] * n for n in range(max(1, min(count, MAX_SERIES)))]


def plan_series(
    episode: TreatmentEpisode, user_id: int, first: date, at: time, repeat: Repeat, count: int
) -> list[Appointment]:
    """Plan one session or a series at the same time of day."""
    appointments = [
        Appointment(episode_id=episode.id, planned_on=day, starts_at=at, created_by_id=user_id)
        for day in series_days(first, repeat, count)
    ]
    db.session.add_all(appointments)
    db.session.flush()
    return appointments


def _check_changeable(appointment: Appointment) -> None:
    if not appointment.is_planned:
        raise NothingToChange
    if appointment.is_logged:
        raise AlreadyLogged


def move(appointment: Appointment, day: date, at: time, reason: str) -> None:
    """Move a planned session to another day or time; the day it had and why are kept."""
    _check_changeable(appointment)
    if day != appointment.planned_on:
        appointment.moved_from = appointment.planned_on
    elif appointment.moved_from is None:
        appointment.moved_from = day  # the same day, another time: still a move with a reason
    appointment.planned_on, appointment.starts_at, appointment.reason = day, at, reason
    db.session.flush()


def cancel(appointment: Appointment, reason: str) -> None:
    """Cancel a planned session, with the reason."""
    _check_changeable(appointment)
    appointment.status, appointment.reason = AppointmentStatus.CANCELLED, reason
    db.session.flush()


def _not_logged() -> ColumnElement[bool]:
    """No session was logged for the appointment (for a WHERE on Appointment)."""
    return (
        ~select(TherapySession.id).where(TherapySession.appointment_id == Appointment.id).exists()
    )


def cancel_from(appointment: Appointment, reason: str) -> list[Appointment]:
    """Cancel a planned session and every later one of its episode still to do, each with the
    reason; earlier, cancelled and logged ones stay as they are."""
    _check_changeable(appointment)
    at, day = appointment.starts_at, appointment.planned_on
    later = db.session.scalars(
        select(Appointment)
        .where(
            Appointment.episode_id == appointment.episode_id,
            Appointment.status == AppointmentStatus.PLANNED,
            or_(
                Appointment.planned_on > day,
                and_(Appointment.planned_on == day, Appointment.starts_at > at),
                and_(
                    Appointment.planned_on == day,
                    Appointment.starts_at == at,
                    Appointment.id >= appointment.id,
                ),
            ),
            _not_logged(),
        )
        .order_by(Appointment.planned_on, Appointment.starts_at, Appointment.id)
        .with_for_update()
    ).all()
    for each in later:
        each.status, each.reason = AppointmentStatus.CANCELLED, reason
    db.session.flush()
    return list(later)


def loggable_appointment(episode_id: int, appointment_id: int) -> Appointment:
    """The appointment a session of this episode is logged for: planned and not logged yet."""
    appointment = db.session.get(Appointment, appointment_id)
    if appointment is None or appointment.episode_id != episode_id:
        raise NotLoggable(NotLoggable.ELSEWHERE)
    if not appointment.is_planned:
        raise NotLoggable(NotLoggable.CANCELLED)
    if appointment.is_logged:
        raise NotLoggable(NotLoggable.LOGGED)
    return appointment


def episode_appointments(episode_id: int, since: date) -> Sequence[Appointment]:
    """The episode's appointments from a day on (cancelled and logged ones too), in diary
    order, each with the session logged for it (in the same query)."""
    return db.session.scalars(
        select(Appointment)
        .options(joinedload(Appointment.session))
        .where(Appointment.episode_id == episode_id, Appointment.planned_on >= since)
        .order_by(Appointment.planned_on, Appointment.starts_at, Appointment.id)
    ).all()


def next_appointment(episode_id: int, since: date) -> Appointment | None:
    """The episode's next planned session from a day on that is not logged yet."""
    return db.session.scalar(
        select(Appointment)
        .where(
            Appointment.episode_id == episode_id,
            Appointment.planned_on >= since,
            Appointment.status == AppointmentStatus.PLANNED,
            _not_logged(),
        )
        .order_by(Appointment.planned_on, Appointment.starts_at, Appointment.id)
        .limit(1)
    )


@dataclass(frozen=True)
class DayAppointment:
    """A planned session on a day's list, with its patient, episode and the session logged
    for it (None: still to do)."""

    appointment: Appointment
    episode: TreatmentEpisode
    patient: Patient
    session: TherapySession | None


def day_list(patients: Select[tuple[Patient]], day: date) -> list[DayAppointment]:
    """The planned sessions of a day for the given (already scoped) patients, in time order."""
    scoped = patients.with_only_columns(Patient.id).scalar_subquery()
    rows = db.session.execute(
        select(Appointment, TreatmentEpisode, Patient, TherapySession)
        .join(TreatmentEpisode, TreatmentEpisode.id == Appointment.episode_id)
        .join(Patient, Patient.id == TreatmentEpisode.patient_id)
        .outerjoin(TherapySession, TherapySession.appointment_id == Appointment.id)
        .where(
            Appointment.planned_on == day,
            Appointment.status == AppointmentStatus.PLANNED,
            Patient.id.in_(scoped),
        )
        .order_by(Appointment.starts_at, Patient.family_name, Appointment.id)
    ).all()
    return [DayAppointment(a, e, p, s) for a, e, p, s in rows]
