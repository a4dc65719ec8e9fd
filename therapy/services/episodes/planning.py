"""Planned sessions: a series by day and time, moved or cancelled with a reason, and a day's list.

`series_days` is pure; the operations take explicit arguments and flush (the view commits).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import Select, select

from therapy.extensions import db
from therapy.models import Appointment, Patient, TreatmentEpisode
from therapy.models.enums import AppointmentStatus, Repeat

MAX_SERIES = 12  # the protocol's most sessions: a longer series is planned again later
STEP = {
    Repeat.ONCE: timedelta(0),
    Repeat.WEEKLY: timedelta(weeks=1),
    Repeat.FORTNIGHTLY: timedelta(weeks=2),
}


class NothingToChange(Exception):
    """The appointment is cancelled already: it is not moved or cancelled again."""


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


def move(appointment: Appointment, day: date, at: time, reason: str) -> None:
    """Move a planned session to another day or time; the day it had and why are kept."""
    if not appointment.is_planned:
        raise NothingToChange
    if day != appointment.planned_on:
        appointment.moved_from = appointment.planned_on
    elif appointment.moved_from is None:
        appointment.moved_from = day  # the same day, another time: still a move with a reason
    appointment.planned_on, appointment.starts_at, appointment.reason = day, at, reason
    db.session.flush()


def cancel(appointment: Appointment, reason: str) -> None:
    """Cancel a planned session, with the reason."""
    if not appointment.is_planned:
        raise NothingToChange
    appointment.status, appointment.reason = AppointmentStatus.CANCELLED, reason
    db.session.flush()


def episode_appointments(episode_id: int, since: date) -> Sequence[Appointment]:
    """The episode's appointments from a day on (cancelled ones too), in diary order."""
    return db.session.scalars(
        select(Appointment)
        .where(Appointment.episode_id == episode_id, Appointment.planned_on >= since)
        .order_by(Appointment.planned_on, Appointment.starts_at, Appointment.id)
    ).all()


def next_appointment(episode_id: int, since: date) -> Appointment | None:
    """The episode's next planned session from a day on."""
    return next((a for a in episode_appointments(episode_id, since) if a.is_planned), None)


@dataclass(frozen=True)
class DayAppointment:
    """A planned session on a day's list, with its patient and episode."""

    appointment: Appointment
    episode: TreatmentEpisode
    patient: Patient


def day_list(patients: Select[tuple[Patient]], day: date) -> list[DayAppointment]:
    """The planned sessions of a day for the given (already scoped) patients, in time order."""
    scoped = patients.with_only_columns(Patient.id).scalar_subquery()
    rows = db.session.execute(
        select(Appointment, TreatmentEpisode, Patient)
        .join(TreatmentEpisode, TreatmentEpisode.id == Appointment.episode_id)
        .join(Patient, Patient.id == TreatmentEpisode.patient_id)
        .where(
            Appointment.planned_on == day,
            Appointment.status == AppointmentStatus.PLANNED,
            Patient.id.in_(scoped),
        )
        .order_by(Appointment.starts_at, Patient.family_name, Appointment.id)
    ).all()
    return [DayAppointment(a, e, p) for a, e, p in rows]
