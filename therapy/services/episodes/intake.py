"""Opening a treatment episode at intake, and correcting the intake while the episode is open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from therapy.extensions import db
from therapy.models import Goal, GoalRating, Patient, TherapySession, TreatmentEpisode
from therapy.models.enums import AnswerSource, EpisodeStatus, RatingOccasion
from therapy.models.versioning import claim_version


class EpisodeClosed(Exception):
    """A closed episode is part of the record and is only added to by amendments."""


class EpisodeAlreadyOpen(Exception):
    """The patient already has an episode in intake or treatment."""


class GoalInUse(Exception):
    """A goal that was rated in a session cannot be removed; it can be marked dropped."""

    def __init__(self, position: int) -> None:
        super().__init__(position)
        self.position = position


class PatientRated(Exception):
    """The patient rated this goal themselves (DOMAIN.md §9): their answer is never changed,
    so its baseline keeps the patient's score and date and the goal is not removed."""

    def __init__(self, position: int, *, removing: bool) -> None:
        super().__init__(position)
        self.position = position
        self.removing = removing


class IntakeAfterSessions(Exception):
    """The intake date cannot move past a session already logged: sessions follow the intake."""

    def __init__(self, first_session: date) -> None:
        super().__init__(first_session)
        self.first_session = first_session


@dataclass(frozen=True)
class GoalInput:
    """One row of the intake's PSFS goals; an empty activity means an empty row."""

    position: int
    activity: str
    patient_words: str = ""
    baseline: int | None = None


@dataclass(frozen=True)
class IntakeDetails:
    """Everything the intake form edits, as plain data."""

    started_on: date
    referral_date: date
    referred_by_id: int | None
    referral_question: str
    request_for_help: str
    expectations: str
    planned_sessions: int
    planned_sessions_reason: str
    goals: tuple[GoalInput, ...]


def open_episode_of(patient_id: int) -> TreatmentEpisode | None:
    """The patient's episode in intake or treatment, if there is one."""
    return db.session.scalar(
        select(TreatmentEpisode)
        .where(
            TreatmentEpisode.patient_id == patient_id,
            TreatmentEpisode.status != EpisodeStatus.CLOSED,
        )
        .limit(1)
    )


def first_session_date(episode_id: int) -> date | None:
    """The date of the episode's earliest logged session, if any."""
    return db.session.scalar(
        select(func.min(TherapySession.held_on)).where(TherapySession.episode_id == episode_id)
    )


def open_episode(patient: Patient, details: IntakeDetails) -> TreatmentEpisode:
    """Start a new treatment episode for the patient, treated by the patient's therapist."""
    if open_episode_of(patient.id) is not None:
        raise EpisodeAlreadyOpen()
    # A new episode has no goals yet: said here, so adding them reads nothing back.
    episode = TreatmentEpisode(
        patient_id=patient.id,
        therapist_id=patient.therapist_id,
        status=EpisodeStatus.INTAKE,
        goals=[],
    )
    _apply(episode, details)
    db.session.add(episode)
    _apply_goals(episode, details)
    db.session.flush()
    return episode


def update_intake(
    episode: TreatmentEpisode, details: IntakeDetails, expected_version: int | None
) -> None:
    """Correct the intake of an open episode from the form of version `expected_version`."""
    if episode.is_closed:
        raise EpisodeClosed()
    first = first_session_date(episode.id)
    if first is not None and details.started_on > first:
        raise IntakeAfterSessions(first)  # the baseline ratings would date after session 1
    claim_version(TreatmentEpisode, episode, expected_version)
    _apply(episode, details)
    _apply_goals(episode, details)
    db.session.flush()


def _apply(episode: TreatmentEpisode, details: IntakeDetails) -> None:
    episode.started_on = details.started_on
    episode.referral_date = details.referral_date
    episode.referred_by_id = details.referred_by_id
    episode.referral_question = details.referral_question
    episode.request_for_help = details.request_for_help
    episode.expectations = details.expectations
    episode.planned_sessions = details.planned_sessions
    episode.planned_sessions_reason = details.planned_sessions_reason


def _apply_goals(episode: TreatmentEpisode, details: IntakeDetails) -> None:
    existing = {goal.position: goal for goal in episode.goals}
    for row in details.goals:
        goal = existing.get(row.position)
        if not row.activity:
            if goal is not None:
                _remove_goal(episode, goal)
            continue
        if goal is None:
            goal = Goal(position=row.position, activity=row.activity)
            episode.goals.append(goal)  # the episode's id is given to it when flushed
        goal.activity = row.activity
        goal.patient_words = row.patient_words
        _set_baseline(goal, row.baseline, episode.started_on)


def _remove_goal(episode: TreatmentEpisode, goal: Goal) -> None:
    # A voided rating counts nowhere but stays in the record: it keeps its goal too.
    if any(rating.source != AnswerSource.THERAPIST_PAPER for rating in goal.every_rating):
        raise PatientRated(goal.position, removing=True)
    if any(rating.occasion != RatingOccasion.BASELINE for rating in goal.every_rating):
        raise GoalInUse(goal.position)
    episode.goals.remove(goal)
    db.session.delete(goal)


def _set_baseline(goal: Goal, score: int | None, day: date) -> None:
    if score is None:
        return  # the form asks a rating for every named activity; nothing to change here
    baseline = next((r for r in goal.ratings if r.occasion == RatingOccasion.BASELINE), None)
    if baseline is None:
        goal.ratings.append(GoalRating(occasion=RatingOccasion.BASELINE, rated_on=day, score=score))
    elif baseline.source != AnswerSource.THERAPIST_PAPER:
        if score != baseline.score:
            raise PatientRated(goal.position, removing=False)
    else:
        baseline.score = score
        baseline.rated_on = day
