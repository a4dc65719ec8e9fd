"""Logging a session and editing it: elements, SCEBS notes, goal re-ratings, alliance check-in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select

from therapy.extensions import db
from therapy.models import (
    AllianceCheckin,
    Goal,
    GoalRating,
    SessionTechnique,
    TherapySession,
    TreatmentEpisode,
)
from therapy.models.enums import (
    AnswerSource,
    Attendance,
    EpisodeStatus,
    GoalStatus,
    ProtocolElement,
    RatingOccasion,
    ScebsDimension,
)
from therapy.models.therapy_session import ELEMENT_MINUTE_COLUMNS
from therapy.models.versioning import claim_version
from therapy.services.episodes.intake import EpisodeClosed
from therapy.services.episodes.planning import loggable_appointment
from therapy.services.protocol.elements import technique_codes

MAX_SESSION_NUMBER = 100  # the database's limit per episode


class SessionLimitReached(Exception):
    """An episode holds at most 100 sessions."""


class GoalsChanged(Exception):
    """The goals posted are not the goals this session reviews (the form is out of date)."""


@dataclass(frozen=True)
class ElementEntry:
    """Minutes, ticked technique codes and a note for one protocol element."""

    minutes: int = 0
    techniques: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class GoalReview:
    """A goal's rating in this session (None: not rated) and its status afterwards."""

    goal_id: int
    score: int | None
    status: GoalStatus


@dataclass(frozen=True)
class SessionEntry:
    """Everything the session form records, as plain data."""

    held_on: date
    attendance: Attendance
    duration: int | None
    elements: Mapping[ProtocolElement, ElementEntry] = field(default_factory=dict)
    scebs: Mapping[ScebsDimension, str] = field(default_factory=dict)
    symptom_course: str = ""
    home_exercises: str = ""
    notes: str = ""
    reviews: tuple[GoalReview, ...] = ()
    alliance: tuple[int, int, int] | None = None
    left_unsaid: str = ""
    appointment_id: int | None = None  # the planned session it is logged for (new ones only)


def next_session_number(episode_id: int) -> int:
    """The number the next session gets: one after the highest so far."""
    highest = db.session.scalar(
        select(func.max(TherapySession.number)).where(TherapySession.episode_id == episode_id)
    )
    return int(highest or 0) + 1


@dataclass(frozen=True)
class Neighbour:
    """The number and date of the session before or after the one being logged."""

    number: int
    held_on: date


def neighbours(episode_id: int, number: int) -> tuple[Neighbour | None, Neighbour | None]:
    """The sessions just before and just after session `number` (one query).

    A session is dated between them: the session log reads in date order as in number order.
    """
    in_episode = TherapySession.episode_id == episode_id
    before = select(func.max(TherapySession.number)).where(
        in_episode, TherapySession.number < number
    )
    after = select(func.min(TherapySession.number)).where(
        in_episode, TherapySession.number > number
    )
    rows = db.session.execute(
        select(TherapySession.number, TherapySession.held_on).where(
            in_episode,
            or_(
                TherapySession.number == before.scalar_subquery(),
                TherapySession.number == after.scalar_subquery(),
            ),
        )
    )
    found = [Neighbour(n, held_on) for n, held_on in rows]
    previous = next((s for s in found if s.number < number), None)
    following = next((s for s in found if s.number > number), None)
    return previous, following


def goals_to_review(episode: TreatmentEpisode, session: TherapySession | None = None) -> list[Goal]:
    """The goals a session form asks about: the active ones, and any this session rated."""
    rated_here = set()
    if session is not None:
        rated_here = {
            rating.goal_id
            for goal in episode.goals
            for rating in goal.ratings
            if rating.session_id == session.id
        }
    return [g for g in episode.goals if g.status == GoalStatus.ACTIVE or g.id in rated_here]


def log_session(episode: TreatmentEpisode, user_id: int, entry: SessionEntry) -> TherapySession:
    """Add the next session to an open episode; the first one starts the treatment.

    Logged for a planned session, it records which one (planning.NotLoggable if that one is
    not this episode's, was cancelled or was logged already).
    """
    if episode.is_closed:
        raise EpisodeClosed()
    number = next_session_number(episode.id)
    if number > MAX_SESSION_NUMBER:
        raise SessionLimitReached()
    _check_reviews(episode, None, entry)
    session = TherapySession(episode_id=episode.id, number=number, created_by_id=user_id)
    if entry.appointment_id is not None:
        session.appointment = loggable_appointment(episode.id, entry.appointment_id)
    _apply(session, entry)
    db.session.add(session)
    db.session.flush()
    _apply_reviews(episode, session, entry)
    if episode.status == EpisodeStatus.INTAKE:
        episode.status = EpisodeStatus.ACTIVE
    db.session.flush()
    return session


def update_session(
    episode: TreatmentEpisode,
    session: TherapySession,
    entry: SessionEntry,
    expected_version: int | None,
) -> None:
    """Save an edit of a session made from the form of version `expected_version`."""
    if episode.is_closed:
        raise EpisodeClosed()
    _check_reviews(episode, session, entry)
    claim_version(TherapySession, session, expected_version)
    _apply(session, entry)
    _apply_reviews(episode, session, entry)
    db.session.flush()


def _check_reviews(
    episode: TreatmentEpisode, session: TherapySession | None, entry: SessionEntry
) -> None:
    expected = {goal.id for goal in goals_to_review(episode, session)}
    if {review.goal_id for review in entry.reviews} != expected:
        raise GoalsChanged()


def _apply(session: TherapySession, entry: SessionEntry) -> None:
    attended = entry.attendance == Attendance.ATTENDED
    session.held_on = entry.held_on
    session.attendance = entry.attendance
    session.duration_minutes = entry.duration if attended else None
    techniques: list[tuple[ProtocolElement, str]] = []
    for element, column in ELEMENT_MINUTE_COLUMNS.items():
        element_entry = entry.elements.get(element, ElementEntry()) if attended else ElementEntry()
        setattr(session, column, element_entry.minutes)
        setattr(session, f"{element.value}_note", element_entry.note)
        known = technique_codes(element)
        techniques.extend(
            (element, code) for code in sorted(set(element_entry.techniques)) if code in known
        )
    # Rebuilt from the form; unchanged rows are kept so the flush does not churn them.
    current = {(t.element, t.technique): t for t in session.techniques}
    session.techniques = [
        current.get(key) or SessionTechnique(element=key[0], technique=key[1]) for key in techniques
    ]
    for dimension in ScebsDimension:
        setattr(session, f"scebs_{dimension.value}", entry.scebs.get(dimension, ""))
    session.symptom_course = entry.symptom_course
    session.home_exercises = entry.home_exercises
    session.notes = entry.notes
    _apply_alliance(session, entry.alliance if attended else None, entry.left_unsaid)


def _apply_alliance(
    session: TherapySession, ratings: tuple[int, int, int] | None, left_unsaid: str
) -> None:
    if session.alliance is not None and session.alliance.source is not AnswerSource.THERAPIST_PAPER:
        return  # the patient's own answers: the therapist cannot change them (DOMAIN.md §9)
    if ratings is None:
        session.alliance = None
        return
    checkin = session.alliance or AllianceCheckin()
    checkin.bond, checkin.goals, checkin.tasks = ratings
    checkin.left_unsaid = left_unsaid
    session.alliance = checkin


def _apply_reviews(episode: TreatmentEpisode, session: TherapySession, entry: SessionEntry) -> None:
    goals = {goal.id: goal for goal in episode.goals}
    attended = entry.attendance == Attendance.ATTENDED
    for review in entry.reviews:
        goal = goals[review.goal_id]
        goal.status = review.status
        rating = next((r for r in goal.ratings if r.session_id == session.id), None)
        score = review.score if attended else None
        if score is None:
            if rating is not None:
                goal.ratings.remove(rating)
                db.session.delete(rating)
            continue
        if rating is None:
            rating = GoalRating(session_id=session.id, occasion=RatingOccasion.REVIEW)
            goal.ratings.append(rating)
        rating.score = score
        rating.rated_on = entry.held_on


def last_attended_before(episode_id: int, number: int) -> TherapySession | None:
    """The latest attended session before session `number`: what the next one carries on from."""
    return db.session.scalar(
        select(TherapySession)
        .where(
            TherapySession.episode_id == episode_id,
            TherapySession.number < number,
            TherapySession.attendance == Attendance.ATTENDED,
        )
        .order_by(TherapySession.number.desc())
        .limit(1)
    )
