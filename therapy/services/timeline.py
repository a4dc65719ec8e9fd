"""The episode timeline: intake, sessions, PHQ-15 and formulation entries in date order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from therapy.models import (
    FormulationEntry,
    Goal,
    GoalRating,
    Phq15Administration,
    TherapySession,
    TreatmentEpisode,
)
from therapy.models.enums import ProtocolElement, RatingOccasion
from therapy.services.fidelity import shade_for
from therapy.services.phq15 import Band, band_for
from therapy.services.psfs import psfs_mean

# Events of one day are told in this order.
_KIND_ORDER = {"intake": 0, "phq15": 1, "session": 2, "formulation": 3, "closure": 4}


@dataclass(frozen=True)
class GoalScore:
    """A goal's rating on one occasion."""

    goal: Goal
    score: int


@dataclass(frozen=True)
class Phq15Point:
    """A PHQ-15 administration with its band (no band when the total is incomplete)."""

    administration: Phq15Administration
    band: Band | None


@dataclass(frozen=True)
class TimelineEvent:
    """One entry of the timeline; the fields used depend on `kind`."""

    kind: str  # "intake", "session", "phq15", "formulation" or "closure"
    day: date
    number: int = 0
    session: TherapySession | None = None
    # (element, minutes, shade step) in protocol order, for an attended session.
    minutes: list[tuple[ProtocolElement, int, int]] = field(default_factory=list)
    scores: list[GoalScore] = field(default_factory=list)
    psfs: float | None = None
    entries: list[FormulationEntry] = field(default_factory=list)
    phq15: Phq15Point | None = None


def _scores(episode: TreatmentEpisode, keep: Callable[[GoalRating], bool]) -> list[GoalScore]:
    return [
        GoalScore(goal, rating.score)
        for goal in episode.goals
        for rating in goal.ratings
        if keep(rating)
    ]


def _given_in(session_id: int) -> Callable[[GoalRating], bool]:
    return lambda rating: rating.session_id == session_id


def _mean(scores: list[GoalScore]) -> float | None:
    return psfs_mean(s.score for s in scores)


def episode_timeline(episode: TreatmentEpisode) -> list[TimelineEvent]:
    """Every event of a loaded episode in time order."""
    entries_by_session: dict[int | None, list[FormulationEntry]] = {}
    for entry in episode.formulation_entries:
        entries_by_session.setdefault(entry.session_id, []).append(entry)
    sessions = {s.id for s in episode.sessions}
    baseline = _scores(episode, lambda r: r.occasion == RatingOccasion.BASELINE)
    events = [TimelineEvent("intake", episode.started_on, scores=baseline, psfs=_mean(baseline))]
    for session in episode.sessions:
        scores = _scores(episode, _given_in(session.id))
        events.append(
            TimelineEvent(
                "session",
                session.held_on,
                number=session.number,
                session=session,
                minutes=[
                    (e, session.minutes_for(e), shade_for(session.minutes_for(e)))
                    for e in ProtocolElement
                ],
                scores=scores,
                psfs=_mean(scores),
                entries=entries_by_session.get(session.id, []),
            )
        )
    for administration in episode.phq15_administrations:
        total = administration.total
        band = band_for(total) if total is not None else None
        events.append(
            TimelineEvent(
                "phq15",
                administration.administered_on,
                phq15=Phq15Point(administration, band),
            )
        )
    for session_id, entries in entries_by_session.items():
        if session_id is None or session_id not in sessions:
            for entry in entries:
                events.append(
                    TimelineEvent("formulation", entry.created_at.date(), entries=[entry])
                )
    if episode.is_closed and episode.closed_on is not None:
        end = _scores(episode, lambda r: r.occasion == RatingOccasion.END)
        events.append(TimelineEvent("closure", episode.closed_on, scores=end, psfs=_mean(end)))
    return sorted(events, key=lambda e: (e.day, _KIND_ORDER[e.kind], e.number))
