"""What needs doing, per episode on a caseload page: a fixed number of queries for any page.

The rules are the same pure functions the episode page uses (fidelity, alliance), fed with
plain rows fetched for all the page's episodes at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import BindParameter, Select, and_, bindparam, case, func, or_, select

from therapy.extensions import db
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import (
    AllianceCheckin,
    Document,
    Goal,
    GoalRating,
    TherapySession,
    TreatmentEpisode,
)
from therapy.models.enums import (
    Attendance,
    DocumentKind,
    DocumentStatus,
    EpisodeStatus,
    GoalStatus,
    Phq15Timepoint,
)
from therapy.services.alliance.checkin import Checkin, alliance_detail, current_flags
from therapy.services.caseload.attendance import BADGE_WORDS, attendance_badge_codes
from therapy.services.phq15.alerts import EpisodeFacts, alerts_for_episodes, measurements_of
from therapy.services.protocol.fidelity import (
    REVIEW_WINDOW,
    GoalFacts,
    SessionFacts,
    unreviewed_goals,
)


@dataclass(frozen=True)
class Badge:
    """A short call to action on the caseload, with a sentence that explains it."""

    code: str
    label: object
    detail: object


@dataclass
class EpisodeActivity:
    """What the caseload shows and the rules read of one episode's sessions, as plain values.

    Not every session: the counts come from the database, and of the sessions themselves only
    the last two attended and the last two missed ones (the goal-review rule's window, and
    what tells whether the latest sessions were missed in a row), and any attended on the
    same day as another.
    """

    held: int = 0  # attended sessions
    last_held_on: date | None = None  # the latest attended session: "last session"
    window: dict[int, SessionFacts] = field(default_factory=dict)  # by session id
    visits: dict[int, SessionFacts] = field(default_factory=dict)  # every fetched session

    @property
    def review_window(self) -> list[SessionFacts]:
        """The last two attended sessions, as the goal-review rule reads them."""
        return list(self.window.values())


# Every statement is built once, with the page's ids as an expanding parameter: building and
# keying a statement costs more than running it on a page of 25 episodes.
EPISODES: BindParameter[list[int]] = bindparam("episode_ids", expanding=True)
WINDOW_SESSIONS: BindParameter[list[int]] = bindparam("window_ids", expanding=True)


def _activity_statement() -> Select[tuple[int, int, int, date, int, int, date | None, int]]:
    """Each session row with its episode's totals (window functions); only the last two
    attended and the last two other sessions of each episode are kept, and the attended ones
    that share their day with another attended one."""
    attended = case((TherapySession.attendance == Attendance.ATTENDED, 1), else_=0)
    by_episode = TherapySession.episode_id
    ranked = (
        select(
            TherapySession.episode_id,
            TherapySession.id,
            TherapySession.number,
            TherapySession.held_on,
            attended.label("attended"),
            func.sum(attended).over(partition_by=by_episode).label("held"),
            func.max(case((attended == 1, TherapySession.held_on)))
            .over(partition_by=by_episode)
            .label("last"),
            func.row_number()
            .over(partition_by=(by_episode, attended), order_by=TherapySession.number.desc())
            .label("rank"),
            func.sum(attended)
            .over(partition_by=(by_episode, TherapySession.held_on))
            .label("same_day"),
        )
        .where(TherapySession.episode_id.in_(EPISODES))
        .subquery()
    )
    return select(
        ranked.c.episode_id,
        ranked.c.id,
        ranked.c.number,
        ranked.c.held_on,
        ranked.c.attended,
        ranked.c.held,
        ranked.c.last,
        ranked.c.rank,
    ).where(
        or_(ranked.c.rank <= REVIEW_WINDOW, and_(ranked.c.attended == 1, ranked.c.same_day > 1))
    )


_ACTIVITY = _activity_statement()


def episode_activity(episode_ids: Sequence[int]) -> dict[int, EpisodeActivity]:
    """Counts and dates of the given episodes' sessions, and their review windows, in one query."""
    rows = db.session.execute(_ACTIVITY, {"episode_ids": list(episode_ids)})
    activity: dict[int, EpisodeActivity] = defaultdict(EpisodeActivity)
    for episode_id, session_id, number, held_on, was_attended, held, last, rank in rows:
        entry = activity[episode_id]
        entry.held, entry.last_held_on = int(held), last
        facts = SessionFacts(number, held_on, bool(was_attended), None, {})
        entry.visits[session_id] = facts
        if was_attended and rank <= REVIEW_WINDOW:
            entry.window[session_id] = facts
    return activity


_FINAL_DOCUMENTS = (
    select(Document.episode_id, Document.kind)
    .where(Document.episode_id.in_(EPISODES), Document.status == DocumentStatus.FINAL)
    .distinct()
)


def badges_for(
    episodes: Sequence[TreatmentEpisode], activity: dict[int, EpisodeActivity], today: date
) -> dict[int, list[Badge]]:
    """The badges of each episode, keyed by episode id (five queries, whatever the count)."""
    ids = [episode.id for episode in episodes]
    finals = set(db.session.execute(_FINAL_DOCUMENTS, {"episode_ids": ids}).tuples())
    measurements = measurements_of(ids)
    with_baseline = {
        episode_id
        for episode_id, measured in measurements.items()
        if any(m.timepoint == Phq15Timepoint.BASELINE for m in measured)
    }
    facts = {
        episode.id: EpisodeFacts(
            episode.status,
            episode.planned_sessions,
            activity[episode.id].held if episode.id in activity else 0,
        )
        for episode in episodes
    }
    checkins = _checkins(ids)
    goals = _goal_facts(ids, activity)
    phq15 = alerts_for_episodes(ids, facts=facts, measurements=measurements)
    result: dict[int, list[Badge]] = {}
    for episode in episodes:
        window = activity[episode.id].review_window if episode.id in activity else []
        # Reliable deterioration or a move into the high band, open or closed (a follow-up).
        clinical = [
            Badge(f"phq15_{alert.kind.value}", alert.badge, alert.message)
            for alert in phq15.get(episode.id, [])
            if alert.is_clinical
        ]
        if episode.is_closed:
            result[episode.id] = clinical + _closure_badges(episode, finals)
            continue
        badges = clinical
        if episode.id not in with_baseline:
            badges.append(
                Badge(
                    "phq15_baseline",
                    _l("Baseline PHQ-15 missing"),
                    _l("No PHQ-15 was recorded at the start of this episode."),
                )
            )
        if unreviewed_goals(goals.get(episode.id, []), window):
            badges.append(
                Badge(
                    "goals_not_reviewed",
                    _l("Goals not reviewed"),
                    _l("An active PSFS goal was not rated in the last two sessions."),
                )
            )
        flags = current_flags(checkins.get(episode.id, []))
        if flags:
            badges.append(
                Badge(
                    "alliance",
                    _l("Alliance check-in"),
                    alliance_detail(flags),
                )
            )
        visits = list(activity[episode.id].visits.values()) if episode.id in activity else []
        for code in attendance_badge_codes(
            visits,
            in_treatment=episode.status == EpisodeStatus.ACTIVE,
            started_on=episode.started_on,
            today=today,
        ):
            badges.append(Badge(code, *BADGE_WORDS[code]))
        result[episode.id] = badges
    return result


def _closure_badges(
    episode: TreatmentEpisode, finals: set[tuple[int, DocumentKind]]
) -> list[Badge]:
    badges = []
    if (episode.id, DocumentKind.TREATMENT_REPORT) not in finals:
        badges.append(
            Badge(
                "report_due",
                _l("Report due"),
                _l("The episode is closed but its treatment report is not final yet."),
            )
        )
    # No consent, no letter (DOMAIN.md §4): a refused letter is not due.
    if episode.gp_consent is not False and (episode.id, DocumentKind.GP_LETTER) not in finals:
        badges.append(
            Badge(
                "letter_due",
                _l("GP letter due"),
                _l("The episode is closed but the letter to the GP is not final yet."),
            )
        )
    return badges


def _checkins_statement() -> Select[tuple[int, int, int, int, int]]:
    ranked = (
        select(
            TherapySession.episode_id,
            TherapySession.number,
            AllianceCheckin.bond,
            AllianceCheckin.goals,
            AllianceCheckin.tasks,
            func.row_number()
            .over(partition_by=TherapySession.episode_id, order_by=TherapySession.number.desc())
            .label("rank"),
        )
        .join(AllianceCheckin, AllianceCheckin.session_id == TherapySession.id)
        .where(TherapySession.episode_id.in_(EPISODES), AllianceCheckin.voided_at.is_(None))
        .subquery()
    )
    return select(
        ranked.c.episode_id, ranked.c.number, ranked.c.bond, ranked.c.goals, ranked.c.tasks
    ).where(ranked.c.rank <= 2)


_CHECKINS = _checkins_statement()


def _checkins(episode_ids: list[int]) -> dict[int, list[Checkin]]:
    """The last two check-ins of each episode: the latest one's flags compare it with the one
    before (alliance.current_flags), so the earlier ones change nothing."""
    rows = db.session.execute(_CHECKINS, {"episode_ids": episode_ids})
    checkins: dict[int, list[Checkin]] = defaultdict(list)
    for episode_id, number, bond, goals, tasks in rows:
        checkins[episode_id].append(Checkin(number, bond, goals, tasks))
    return checkins


_GOALS = (
    select(
        Goal.episode_id,
        Goal.id,
        Goal.position,
        Goal.activity,
        Goal.status,
        GoalRating.session_id,
    )
    .outerjoin(
        GoalRating,
        and_(
            GoalRating.goal_id == Goal.id,
            GoalRating.session_id.in_(WINDOW_SESSIONS),
            GoalRating.voided_at.is_(None),
        ),
    )
    .where(Goal.episode_id.in_(EPISODES))
)


def _goal_facts(
    episode_ids: list[int], activity: dict[int, EpisodeActivity]
) -> dict[int, list[GoalFacts]]:
    """Each goal, with the sessions of its episode's review window it was rated in."""
    window_ids = [session_id for entry in activity.values() for session_id in entry.window]
    rows = db.session.execute(_GOALS, {"episode_ids": episode_ids, "window_ids": window_ids})
    goals: dict[int, dict[int, tuple[int, str, bool, set[int]]]] = defaultdict(dict)
    for episode_id, goal_id, position, activity_text, status, session_id in rows:
        entry = goals[episode_id].setdefault(
            goal_id, (position, activity_text, status == GoalStatus.ACTIVE, set())
        )
        window = activity[episode_id].window if episode_id in activity else {}
        if session_id in window:
            entry[3].add(window[session_id].number)
    return {
        episode_id: [
            GoalFacts(position, text, active, frozenset(rated))
            for position, text, active, rated in by_goal.values()
        ]
        for episode_id, by_goal in goals.items()
    }
