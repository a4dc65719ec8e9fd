"""From a loaded episode to the plain data the pure services judge (fidelity, PSFS course).

Callers load the episode with its goals, ratings, sessions and check-ins eagerly (see
`EPISODE_OVERVIEW`), so turning it into facts runs no further queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from therapy.extensions import db
from therapy.i18n.locale import format_number
from therapy.models import Goal, Practice, TherapySession, TreatmentEpisode
from therapy.models.enums import EpisodeStatus, GoalStatus, ProtocolElement, RatingOccasion
from therapy.services.alliance.checkin import Checkin
from therapy.services.episodes.attendance import AttendanceWarning, attendance_warnings
from therapy.services.protocol.fidelity import (
    FidelityReport,
    GoalFacts,
    SessionFacts,
    fidelity_report,
)
from therapy.services.psfs.scoring import (
    DEFAULT_MCID,
    Occasion,
    PsfsPoint,
    RatingFact,
    psfs_change,
    psfs_course,
    psfs_mean,
)

# Loader options for pages that show an episode's overview in a fixed number of queries.
EPISODE_OVERVIEW = (
    joinedload(TreatmentEpisode.patient),
    joinedload(TreatmentEpisode.referred_by),
    # The ratings and check-ins come joined to their goals and sessions: two queries, not four.
    selectinload(TreatmentEpisode.goals).joinedload(Goal.ratings),
    selectinload(TreatmentEpisode.sessions).joinedload(TherapySession.alliance),
)


@dataclass(frozen=True)
class GoalProgress:
    """One goal's PSFS story: baseline, latest review and final rating."""

    goal: Goal
    baseline: int | None
    latest: int | None
    latest_session: int | None
    end: int | None


def session_facts(episode: TreatmentEpisode) -> list[SessionFacts]:
    """Every session of the episode as fidelity facts."""
    return [
        SessionFacts(
            number=s.number,
            held_on=s.held_on,
            attended=s.attended,
            duration=s.duration_minutes,
            minutes={element: s.minutes_for(element) for element in ProtocolElement},
            checkin=Checkin(s.number, s.alliance.bond, s.alliance.goals, s.alliance.tasks)
            if s.alliance is not None
            else None,
        )
        for s in episode.sessions
    ]


def goal_facts(episode: TreatmentEpisode) -> list[GoalFacts]:
    """Every goal with the numbers of the sessions it was rated in."""
    numbers = {s.id: s.number for s in episode.sessions}
    return [
        GoalFacts(
            position=goal.position,
            activity=goal.activity,
            active=goal.status == GoalStatus.ACTIVE,
            rated_in=frozenset(
                numbers[r.session_id] for r in goal.ratings if r.session_id in numbers
            ),
        )
        for goal in episode.goals
    ]


def episode_fidelity(episode: TreatmentEpisode) -> FidelityReport:
    """The fidelity matrix and warnings of a loaded episode."""
    return fidelity_report(session_facts(episode), goal_facts(episode), closed=episode.is_closed)


def episode_attendance(episode: TreatmentEpisode, today: date) -> list[AttendanceWarning]:
    """The attendance warnings of a loaded episode (missed in a row, a gap, two on a day)."""
    return attendance_warnings(
        episode.sessions,
        in_treatment=episode.status == EpisodeStatus.ACTIVE,
        started_on=episode.started_on,
        today=today,
    )


def goal_rating_facts(
    goal: Goal, sessions: Mapping[int, TherapySession] | None = None
) -> list[RatingFact]:
    """One goal's PSFS ratings tagged with their occasion, in the order they are stored.

    Without `sessions` a session's rating is placed by its date alone (number 0).
    """
    return [
        rating_fact(rating, (sessions or {}).get(rating.session_id) if rating.session_id else None)
        for rating in goal.ratings
    ]


def rating_fact(rating: Any, session: Any | None) -> RatingFact:
    """One stored rating (a GoalRating or a plain row of it) tagged with its occasion.

    `session` is the session it was given in (anything with held_on and number), if known.
    """
    if session is not None:
        occasion = Occasion("session", session.held_on, session.number)
    elif rating.occasion == RatingOccasion.BASELINE:
        occasion = Occasion("baseline", rating.rated_on)
    elif rating.occasion == RatingOccasion.END:
        occasion = Occasion("end", rating.rated_on)
    else:
        occasion = Occasion("session", rating.rated_on)
    return RatingFact(occasion, rating.score)


def rating_facts(episode: TreatmentEpisode) -> list[RatingFact]:
    """Every PSFS rating of the episode, tagged with its occasion."""
    sessions = {s.id: s for s in episode.sessions}
    return [fact for goal in episode.goals for fact in goal_rating_facts(goal, sessions)]


def episode_psfs_course(episode: TreatmentEpisode) -> list[PsfsPoint]:
    """The PSFS mean at intake, at each session with ratings, and at the end."""
    return psfs_course(rating_facts(episode))


def latest_scores(goals: Iterable[Goal], leave_out_session: int | None = None) -> dict[int, int]:
    """Each goal's most recent rating by goal id, leaving out the ratings of one session."""
    scores = {}
    for goal in goals:
        earlier = [
            r for r in goal.ratings if r.session_id is None or r.session_id != leave_out_session
        ]
        if earlier:
            scores[goal.id] = max(earlier, key=lambda r: (r.rated_on, r.id)).score
    return scores


def goal_progress(episode: TreatmentEpisode) -> list[GoalProgress]:
    """Baseline, latest session rating and end rating of each goal."""
    numbers = {s.id: s.number for s in episode.sessions}
    rows = []
    for goal in episode.goals:
        baseline = next(
            (r.score for r in goal.ratings if r.occasion == RatingOccasion.BASELINE), None
        )
        end = next((r.score for r in goal.ratings if r.occasion == RatingOccasion.END), None)
        reviews = sorted(
            (numbers[r.session_id], r.score) for r in goal.ratings if r.session_id in numbers
        )
        latest_session, latest = reviews[-1] if reviews else (None, None)
        rows.append(GoalProgress(goal, baseline, latest, latest_session, end))
    return rows


@dataclass(frozen=True)
class PsfsSummary:
    """The PSFS mean at intake and now (or at the end of treatment), compared goal by goal."""

    intake: str | None  # mean of every intake rating, shown until a goal is re-rated
    rated_at_intake: int
    baseline: str | None  # over the goals rated at intake and since (`paired`)
    latest: str | None
    change: str | None  # signed, one decimal
    paired: int
    direction: str | None  # psfs.IMPROVED, DETERIORATED or UNCHANGED
    closed: bool
    mcid: str


def psfs_summary(episode: TreatmentEpisode, mcid: float) -> PsfsSummary:
    """Each goal's intake rating against its latest, judged against the practice's MCID."""
    sessions = {s.id: s for s in episode.sessions}
    goals = [goal_rating_facts(goal, sessions) for goal in episode.goals]
    # The intake ratings are picked by their occasion, never as "the first rated occasion".
    intake = [r.score for ratings in goals for r in ratings if r.occasion.kind == "baseline"]
    change = psfs_change(goals, mcid)
    return PsfsSummary(
        intake=_mean_text(psfs_mean(intake)) if intake else None,
        rated_at_intake=len(intake),
        baseline=_mean_text(change.baseline_mean) if change.paired else None,
        latest=_mean_text(change.latest_mean) if change.paired else None,
        change=format_number(change.change, 1, signed=True) if change.change is not None else None,
        paired=change.paired,
        direction=change.direction,
        closed=episode.is_closed,
        mcid=format_number(mcid, 0 if float(mcid).is_integer() else 1),
    )


def psfs_mcid() -> float:
    """The practice's PSFS MCID setting (DOMAIN.md §2), or the common default of 2 points."""
    value = db.session.scalar(select(Practice.psfs_mcid).order_by(Practice.id).limit(1))
    return float(value) if value is not None else DEFAULT_MCID


def attended_count(episode: TreatmentEpisode) -> int:
    """Sessions that took place."""
    return sum(1 for s in episode.sessions if s.attended)


def last_session_date(episode: TreatmentEpisode) -> date | None:
    """The date of the latest session, attended or not (a closure cannot come before it)."""
    return max((s.held_on for s in episode.sessions), default=None)


def _mean_text(mean: float | None) -> str:
    """A PSFS mean as shown: one decimal in the reader's language, or a dash when there is none."""
    return "–" if mean is None else format_number(mean, 1)
