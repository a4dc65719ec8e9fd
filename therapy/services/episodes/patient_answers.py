"""The check-ins and PSFS ratings the patient gave themselves, counted or voided (issue 13).

The episode page lists them so the therapist can void one that should not count, and shows
the voided ones with their reason; every other reader sees only the counted ones
(TherapySession.alliance, Goal.ratings).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from therapy.i18n.translation import gettext as _
from therapy.models import AllianceCheckin, Goal, GoalRating, TherapySession, TreatmentEpisode
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


# The episode page's loads: every rating and check-in, voided ones too, joined to their goals
# and sessions (the queries of EPISODE_OVERVIEW); counted_from_every() then fills the counted
# relationships from them, so the page reads no rating or check-in twice.
EVERY_ANSWER_OVERVIEW = (
    joinedload(TreatmentEpisode.patient),
    joinedload(TreatmentEpisode.referred_by),
    selectinload(TreatmentEpisode.goals).joinedload(Goal.every_rating),
    selectinload(TreatmentEpisode.sessions).joinedload(TherapySession.checkins),
)


def counted_from_every(episode: TreatmentEpisode) -> None:
    """Set Goal.ratings and TherapySession.alliance from the rows already loaded (not voided)."""
    for goal in episode.goals:
        set_committed_value(goal, "ratings", [r for r in goal.every_rating if not r.is_voided])
    for session in episode.sessions:
        counted = next((c for c in session.checkins if not c.is_voided), None)
        set_committed_value(session, "alliance", counted)


def patient_answers(episode: TreatmentEpisode) -> list[PatientAnswer]:
    """Every check-in and rating of the episode the patient gave themselves, oldest first
    (from the loaded every_rating and checkins)."""
    paper = AnswerSource.THERAPIST_PAPER
    found = [
        checkin_answer(checkin, session)
        for session in episode.sessions
        for checkin in session.checkins
        if checkin.source is not paper
    ] + [
        rating_answer(rating, goal)
        for goal in episode.goals
        for rating in goal.every_rating
        if rating.source is not paper
    ]
    return sorted(found, key=lambda answer: (answer.given_on, answer.kind, answer.id))
