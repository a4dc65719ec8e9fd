"""The episode timeline: intake, sessions, PHQ-15 and the formulation's history in date order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from sqlalchemy.orm import selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from therapy.models import (
    FormulationEntry,
    Goal,
    GoalRating,
    Phq15Administration,
    TherapySession,
    TreatmentEpisode,
)
from therapy.models.enums import ProtocolElement, RatingOccasion
from therapy.services.formulation.grid import entry_history
from therapy.services.phq15.scoring import Band, band_for
from therapy.services.protocol.fidelity import shade_for
from therapy.services.psfs.scoring import psfs_mean

# Load this with the episode: every entry's revisions, in one query whatever their number.
FORMULATION_HISTORY: _AbstractLoad = selectinload(
    TreatmentEpisode.formulation_entries
).selectinload(FormulationEntry.revisions)
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
class FormulationStep:
    """A moment in a formulation entry's life: noted, its text edited, or withdrawn."""

    entry: FormulationEntry
    action: str  # "added", "edited" or "withdrawn"
    text: str  # the text from then on; for "withdrawn", the text taken off the grid
    previous: str = ""  # for "edited": the text it replaced


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
    entries: list[FormulationStep] = field(default_factory=list)
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


def _formulation_changes(entry: FormulationEntry) -> list[TimelineEvent]:
    """An entry's edits and withdrawal, each on the day it happened, from its revisions."""
    steps = entry_history(entry)
    events = []
    for before, step in pairwise(steps):
        change = (
            FormulationStep(entry, "withdrawn", before.text)
            if step.withdrawn
            else FormulationStep(entry, "edited", step.text, previous=before.text)
        )
        events.append(TimelineEvent("formulation", step.at.date(), entries=[change]))
    return events


def episode_timeline(episode: TreatmentEpisode) -> list[TimelineEvent]:
    """Every event of an episode loaded with FORMULATION_HISTORY, in time order."""
    entries_by_session: dict[int | None, list[FormulationStep]] = {}
    changes: list[TimelineEvent] = []
    for entry in episode.formulation_entries:
        # Noted in the session of its first version, with the words it had then.
        first = entry_history(entry)[0]
        entries_by_session.setdefault(first.session_id, []).append(
            FormulationStep(entry, "added", first.text)
        )
        changes += _formulation_changes(entry)
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
    for administration in episode.counted_phq15:
        total = administration.total
        band = band_for(total) if total is not None else None
        events.append(
            TimelineEvent(
                "phq15",
                administration.administered_on,
                phq15=Phq15Point(administration, band),
            )
        )
    for session_id, steps in entries_by_session.items():
        if session_id is None or session_id not in sessions:
            for step in steps:
                events.append(
                    TimelineEvent("formulation", step.entry.created_at.date(), entries=[step])
                )
    events += changes
    if episode.is_closed and episode.closed_on is not None:
        end = _scores(episode, lambda r: r.occasion == RatingOccasion.END)
        events.append(TimelineEvent("closure", episode.closed_on, scores=end, psfs=_mean(end)))
    return sorted(events, key=lambda e: (e.day, _KIND_ORDER[e.kind], e.number))
