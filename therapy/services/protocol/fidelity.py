"""Protocol fidelity of an episode: the element x session matrix and plain-language warnings.

Pure: it takes plain data (no ORM objects, no database), so the episode page, the caseload
badges and the unit tests all judge a treatment by the same rules (DOMAIN.md §1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from therapy.i18n.labels import ELEMENT_LABELS
from therapy.i18n.translation import gettext as _
from therapy.models.enums import ProtocolElement
from therapy.services.alliance.checkin import QUESTIONS, Checkin, alliance_flags
from therapy.services.protocol.elements import (
    PROTOCOL_MAX_MINUTES,
    PROTOCOL_MAX_SESSIONS,
    PROTOCOL_MIN_MINUTES,
    PROTOCOL_MIN_SESSIONS,
)

ELEMENT_DEADLINE = 4  # every element should have been used by the fourth attended session
REVIEW_WINDOW = 2  # an active goal should be rated in at least one of the last two sessions
# Shading steps of the matrix, in minutes: 0, 1-4, 5-9, 10-14, 15-19, 20-29, 30 and more.
# Five-minute steps where most element times fall, so 10 and 15 minutes do not look alike.
SHADE_STEPS = (1, 5, 10, 15, 20, 30)


@dataclass(frozen=True)
class SessionFacts:
    """What the fidelity check needs to know about one session."""

    number: int
    held_on: date
    attended: bool
    duration: int | None
    minutes: Mapping[ProtocolElement, int]
    checkin: Checkin | None = None


@dataclass(frozen=True)
class GoalFacts:
    """A PSFS goal: its label, whether it is still active, and the sessions it was rated in."""

    position: int
    activity: str
    active: bool
    rated_in: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Cell:
    """Minutes on one element in one session, with the shade step that shows it."""

    minutes: int
    shade: int


@dataclass(frozen=True)
class ElementRow:
    """One row of the matrix: an element across the sessions, and its total."""

    element: ProtocolElement
    label: object
    cells: list[Cell | None]  # None for a session that did not take place
    total: int
    share: int  # per cent of all element minutes, rounded


@dataclass(frozen=True)
class FidelityWarning:
    """A plain-language warning; `code` says which rule it comes from."""

    code: str
    # A plain string (never a lazy one: Flask-Babel's lazy strings count as safe HTML in
    # templates, and a warning can quote the patient's own words).
    message: str


@dataclass(frozen=True)
class FidelityReport:
    """The matrix, the totals and the warnings of one episode."""

    sessions: list[SessionFacts]
    rows: list[ElementRow]
    attended: int
    total_minutes: int  # minutes on the four elements, all sessions
    total_duration: int  # minutes of the attended sessions
    warnings: list[FidelityWarning]

    @property
    def legend(self) -> list[tuple[int, str]]:
        """The matrix's shade steps in words."""
        return shade_legend()


def shade_for(minutes: int) -> int:
    """The shade step (0-6) of a number of minutes."""
    return sum(1 for step in SHADE_STEPS if minutes >= step)


def shade_legend() -> list[tuple[int, str]]:
    """Each shade step with the minutes it stands for, in words: "0 min", "1–4 min", "30+ min"."""
    legend = [(0, _("0 min"))]
    for shade, (low, high) in enumerate(pairwise(SHADE_STEPS), start=1):
        text = (
            _("%(n)d min", n=low)
            if high == low + 1
            else _("%(low)d–%(high)d min", low=low, high=high - 1)
        )
        legend.append((shade, text))
    legend.append((len(SHADE_STEPS), _("%(n)d+ min", n=SHADE_STEPS[-1])))
    return legend


def attended_in_order(sessions: Sequence[SessionFacts]) -> list[SessionFacts]:
    """The sessions that took place, by session number."""
    return sorted((s for s in sessions if s.attended), key=lambda s: s.number)


def fidelity_report(
    sessions: Sequence[SessionFacts], goals: Sequence[GoalFacts], *, closed: bool
) -> FidelityReport:
    """Build the matrix and check the episode against the protocol."""
    ordered = sorted(sessions, key=lambda s: s.number)
    totals = {
        element: sum(s.minutes.get(element, 0) for s in ordered if s.attended)
        for element in ProtocolElement
    }
    grand_total = sum(totals.values())
    rows = [
        ElementRow(
            element=element,
            label=ELEMENT_LABELS[element],
            cells=[
                Cell(s.minutes.get(element, 0), shade_for(s.minutes.get(element, 0)))
                if s.attended
                else None
                for s in ordered
            ],
            total=totals[element],
            share=round(100 * totals[element] / grand_total) if grand_total else 0,
        )
        for element in ProtocolElement
    ]
    attended = attended_in_order(ordered)
    warnings = [
        *_session_count_warnings(len(attended), closed),
        *_unused_element_warnings(attended),
        *_duration_warnings(attended),
        *_goal_warnings(unreviewed_goals(goals, ordered)),
        *_alliance_warnings(ordered),
    ]
    duration = sum(s.duration or 0 for s in attended)
    return FidelityReport(ordered, rows, len(attended), grand_total, duration, warnings)


def unreviewed_goals(
    goals: Sequence[GoalFacts], sessions: Sequence[SessionFacts]
) -> list[GoalFacts]:
    """Active goals without a rating in any of the last two attended sessions."""
    attended = attended_in_order(sessions)
    if len(attended) < REVIEW_WINDOW:
        return []
    window = {s.number for s in attended[-REVIEW_WINDOW:]}
    return [goal for goal in goals if goal.active and not goal.rated_in & window]


def _session_count_warnings(attended: int, closed: bool) -> list[FidelityWarning]:
    if attended > PROTOCOL_MAX_SESSIONS:
        return [
            FidelityWarning(
                "sessions_above_protocol",
                _(
                    "%(count)d sessions were attended; the protocol has %(low)d to %(high)d.",
                    count=attended,
                    low=PROTOCOL_MIN_SESSIONS,
                    high=PROTOCOL_MAX_SESSIONS,
                ),
            )
        ]
    if closed and attended < PROTOCOL_MIN_SESSIONS:
        return [
            FidelityWarning(
                "sessions_below_protocol",
                _(
                    "The episode closed after %(count)d attended sessions; the protocol has "
                    "%(low)d to %(high)d.",
                    count=attended,
                    low=PROTOCOL_MIN_SESSIONS,
                    high=PROTOCOL_MAX_SESSIONS,
                ),
            )
        ]
    return []


def _unused_element_warnings(attended: Sequence[SessionFacts]) -> list[FidelityWarning]:
    """Elements missing from the first four attended sessions, named with the real span: never
    used in any of them all, or used only later (and from which session on)."""
    if len(attended) < ELEMENT_DEADLINE:
        return []
    first = attended[:ELEMENT_DEADLINE]
    warnings = []
    for element in ProtocolElement:
        if any(s.minutes.get(element, 0) for s in first):
            continue
        later = next((s for s in attended if s.minutes.get(element, 0)), None)
        if later is None:
            message = _(
                "%(element)s was not used in any of the %(count)d sessions.",
                element=ELEMENT_LABELS[element],
                count=len(attended),
            )
        else:
            message = _(
                "%(element)s was not used in the first %(count)d sessions; it was first used "
                "in session %(number)d.",
                element=ELEMENT_LABELS[element],
                count=ELEMENT_DEADLINE,
                number=later.number,
            )
        warnings.append(FidelityWarning("element_unused", message))
    return warnings


def _duration_warnings(attended: Sequence[SessionFacts]) -> list[FidelityWarning]:
    return [
        FidelityWarning(
            "duration_outside_protocol",
            _(
                "Session %(number)d lasted %(minutes)d minutes; the protocol has %(low)d–%(high)d.",
                number=s.number,
                minutes=s.duration,
                low=PROTOCOL_MIN_MINUTES,
                high=PROTOCOL_MAX_MINUTES,
            ),
        )
        for s in attended
        if s.duration is not None and not PROTOCOL_MIN_MINUTES <= s.duration <= PROTOCOL_MAX_MINUTES
    ]


def _goal_warnings(goals: Sequence[GoalFacts]) -> list[FidelityWarning]:
    return [
        FidelityWarning(
            "goal_not_reviewed",
            _(
                "Goal %(position)d, “%(activity)s”, was not rated in the last two sessions.",
                position=goal.position,
                activity=goal.activity,
            ),
        )
        for goal in goals
    ]


def _alliance_warnings(sessions: Sequence[SessionFacts]) -> list[FidelityWarning]:
    checkins = [s.checkin for s in sessions if s.checkin is not None]
    warnings = []
    for flag in alliance_flags(checkins):
        question = QUESTIONS[flag.question]
        if flag.kind == "low":
            message = _(
                "Session %(number)d: “%(question)s” was rated %(rating)d (5 or lower).",
                number=flag.session_number,
                question=question,
                rating=flag.rating,
            )
        else:
            message = _(
                "Session %(number)d: “%(question)s” dropped from %(previous)d to %(rating)d.",
                number=flag.session_number,
                question=question,
                previous=flag.previous,
                rating=flag.rating,
            )
        warnings.append(FidelityWarning(f"alliance_{flag.kind}", message))
    return warnings
