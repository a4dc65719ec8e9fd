"""The therapist's day: today's planned sessions in time order, each with what is due (or the
session logged for it).

What is due is the caseload's badges (the same rules, in the same few queries for any number
of sessions), plus a check-in missing from the last attended session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import Select, select

from therapy.extensions import db
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import AllianceCheckin, Patient
from therapy.services.caseload.badges import Badge, badges_for, episode_activity
from therapy.services.episodes.planning import day_list

CHECKIN_MISSING = Badge(
    "checkin_missing",
    _l("Check-in missing"),
    _l("The last session has no alliance check-in."),
)


@dataclass(frozen=True)
class TodayRow:
    """One planned session of the day."""

    appointment_id: int
    starts_at: time
    patient_id: int
    name: str
    record_number: str
    episode_id: int
    badges: tuple[Badge, ...]
    session_id: int | None = None  # the session logged for it; None: still to do
    session_number: int | None = None


def today_rows(patients: Select[tuple[Patient]], day: date) -> list[TodayRow]:
    """The day's planned sessions of the given (scoped) patients, with their due items."""
    planned = day_list(patients, day)
    episodes = list({item.episode.id: item.episode for item in planned}.values())
    ids = [episode.id for episode in episodes]
    activity = episode_activity(ids)
    badges = badges_for(episodes, activity, day)
    last_attended = {
        episode_id: max(entry.window, key=lambda sid: entry.window[sid].number)
        for episode_id, entry in activity.items()
        if entry.window
    }
    with_checkin = set(
        db.session.scalars(
            select(AllianceCheckin.session_id).where(
                AllianceCheckin.session_id.in_(list(last_attended.values())),
                AllianceCheckin.voided_at.is_(None),
            )
        )
    )
    rows = []
    for item in planned:
        due = list(badges.get(item.episode.id, []))
        last = last_attended.get(item.episode.id)
        if last is not None and last not in with_checkin:
            due.append(CHECKIN_MISSING)
        rows.append(
            TodayRow(
                appointment_id=item.appointment.id,
                starts_at=item.appointment.starts_at,
                patient_id=item.patient.id,
                name=item.patient.sorted_name,
                record_number=item.patient.record_number,
                episode_id=item.episode.id,
                badges=tuple(due),
                session_id=item.session.id if item.session else None,
                session_number=item.session.number if item.session else None,
            )
        )
    return rows
