"""The check-ins and PSFS ratings the patient gave themselves, counted or voided (issue 13).

The episode page lists them so the therapist can void one that should not count, and shows
the voided ones with their reason; every other reader sees only the counted ones
(TherapySession.alliance, Goal.ratings).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from therapy.extensions import db
from therapy.i18n.translation import gettext as _
from therapy.models import AllianceCheckin, Goal, GoalRating, TherapySession
from therapy.models.enums import AnswerSource
from therapy.services.voiding import can_be_voided

CHECKIN = "checkin"
RATING = "rating"


@dataclass(frozen=True)
class PatientAnswer:
    """One check-in or rating the patient gave, in words for the episode page."""

    kind: str  # CHECKIN or RATING
    id: int
    what: str  # "Alliance check-in, session 3" / "PSFS: Cycling to work"
    given_on: date
    answers: str  # "bond 8, goals 7, tasks 8" / "6 / 10"
    source: AnswerSource
    voided_at: datetime | None
    void_reason: str
    voidable: bool


def checkin_answer(checkin: AllianceCheckin, session: TherapySession) -> PatientAnswer:
    """A check-in in words."""
    return PatientAnswer(
        kind=CHECKIN,
        id=checkin.id,
        what=_("Alliance check-in, session %(n)d", n=session.number),
        given_on=session.held_on,
        answers=_(
            "bond %(bond)d, goals %(goals)d, tasks %(tasks)d",
            bond=checkin.bond,
            goals=checkin.goals,
            tasks=checkin.tasks,
        ),
        source=checkin.source,
        voided_at=checkin.voided_at,
        void_reason=checkin.void_reason,
        voidable=can_be_voided(checkin),
    )


def rating_answer(rating: GoalRating, goal: Goal) -> PatientAnswer:
    """A PSFS rating in words."""
    return PatientAnswer(
        kind=RATING,
        id=rating.id,
        what=_("PSFS: %(activity)s", activity=goal.activity),
        given_on=rating.rated_on,
        answers=_("%(score)d / 10", score=rating.score),
        source=rating.source,
        voided_at=rating.voided_at,
        void_reason=rating.void_reason,
        voidable=can_be_voided(rating),
    )


def patient_answers(episode_id: int) -> list[PatientAnswer]:
    """Every check-in and rating of the episode the patient gave themselves, oldest first."""
    checkins = db.session.execute(
        select(AllianceCheckin, TherapySession)
        .join(TherapySession, TherapySession.id == AllianceCheckin.session_id)
        .where(
            TherapySession.episode_id == episode_id,
            AllianceCheckin.source != AnswerSource.THERAPIST_PAPER,
        )
        .order_by(TherapySession.number, AllianceCheckin.id)
    ).all()
    ratings = db.session.execute(
        select(GoalRating, Goal)
        .join(Goal, Goal.id == GoalRating.goal_id)
        .where(Goal.episode_id == episode_id, GoalRating.source != AnswerSource.THERAPIST_PAPER)
        .order_by(Goal.position, GoalRating.rated_on, GoalRating.id)
    ).all()
    found = [checkin_answer(c, s) for c, s in checkins] + [rating_answer(r, g) for r, g in ratings]
    return sorted(found, key=lambda answer: (answer.given_on, answer.kind, answer.id))
