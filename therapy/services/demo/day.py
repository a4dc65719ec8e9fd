"""The demo practice's clinic day: each therapist's Today page has patients planned on it."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from therapy.extensions import db
from therapy.models import Appointment, Patient, TreatmentEpisode
from therapy.models.enums import EpisodeStatus

# Today's planned sessions per therapist, in the order of their episodes; each also has its
# next session a week later, so the episode shows a plan beyond today.
TODAY_AT = (time(9, 0), time(10, 0), time(11, 15))


def plan_the_day(therapist_ids: list[int], today: date) -> None:
    """Plan today's sessions (and next week's) for the therapists' episodes in treatment."""
    for therapist_id in therapist_ids:
        episodes = db.session.scalars(
            select(TreatmentEpisode)
            .join(Patient)
            .where(
                Patient.therapist_id == therapist_id,
                TreatmentEpisode.status == EpisodeStatus.ACTIVE,
            )
            .order_by(TreatmentEpisode.id)
            .limit(len(TODAY_AT))
        )
        for episode, starts_at in zip(episodes, TODAY_AT, strict=False):
            for day in (today, today + timedelta(weeks=1)):
                db.session.add(
                    Appointment(
                        episode_id=episode.id,
                        planned_on=day,
                        starts_at=starts_at,
                        created_by_id=therapist_id,
                    )
                )
