"""Closing a treatment episode, and amendments that add to a closed episode's record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from therapy.extensions import db
from therapy.models import Amendment, Goal, GoalRating, TreatmentEpisode
from therapy.models.enums import EndingReason, EpisodeStatus, GoalStatus, RatingOccasion
from therapy.models.versioning import claim_version
from therapy.services.episodes.intake import EpisodeClosed


class EpisodeStillOpen(Exception):
    """Amendments are for closed episodes; an open episode is edited directly."""


@dataclass(frozen=True)
class ClosingDetails:
    """Everything the closing form records, as plain data."""

    closed_on: date
    ending_reason: EndingReason
    ending_reason_detail: str
    outcome: str
    relapse_prevention: str
    advice: str  # for the GP
    # goal id -> final PSFS rating (occasion "end"); goals left out were not rated.
    final_ratings: dict[int, int]
    # goal id -> status at the end; goals left out keep the status they have.
    final_statuses: dict[int, GoalStatus] = field(default_factory=dict)
    advice_patient: str = ""


def goals_to_rate_at_end(episode: TreatmentEpisode) -> list[Goal]:
    """The goals that get a final rating: all but the dropped ones, in order."""
    return [goal for goal in episode.goals if goal.status != GoalStatus.DROPPED]


def close_episode(
    episode: TreatmentEpisode,
    details: ClosingDetails,
    expected_version: int | None,
    user_id: int,
) -> None:
    """Close the episode; from now on it is read-only apart from amendments."""
    if episode.is_closed:
        raise EpisodeClosed()
    claim_version(TreatmentEpisode, episode, expected_version)
    episode.status = EpisodeStatus.CLOSED
    episode.closed_on = details.closed_on
    episode.ending_reason = details.ending_reason
    episode.ending_reason_detail = details.ending_reason_detail
    episode.outcome = details.outcome
    episode.relapse_prevention = details.relapse_prevention
    episode.advice = details.advice
    episode.advice_patient = details.advice_patient
    for goal in goals_to_rate_at_end(episode):
        goal.status = details.final_statuses.get(goal.id, goal.status)
        score = details.final_ratings.get(goal.id)
        if score is not None:
            goal.ratings.append(
                GoalRating(occasion=RatingOccasion.END, rated_on=details.closed_on, score=score)
            )
    db.session.flush()


def add_amendment(episode: TreatmentEpisode, author_id: int, text: str, target: str) -> Amendment:
    """Add a dated, signed note to a closed episode; the original record is not touched."""
    if not episode.is_closed:
        raise EpisodeStillOpen()
    amendment = Amendment(episode_id=episode.id, author_id=author_id, text=text, target=target)
    db.session.add(amendment)
    db.session.flush()
    return amendment
