"""Each section of the documents, built from a fully loaded episode into plain data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from statistics import mean

from therapy.i18n.labels import ATTENDANCE_LABELS, ELEMENT_LABELS
from therapy.i18n.translation import gettext as _
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import FormulationEntry, Goal, TherapySession
from therapy.models.enums import (
    Attendance,
    GoalStatus,
    ProtocolElement,
)
from therapy.services.documents.snapshot import (
    AllianceFlag,
    AllianceSummary,
    ElementUse,
    FormulationGrid,
    FormulationRow,
    GoalRow,
    HomeExercise,
    PsfsSummary,
    SessionRow,
    TreatmentSummary,
)
from therapy.services.documents.sources import answered_by, sources_counted
from therapy.services.episodes.facts import goal_rating_facts
from therapy.services.formulation.grid import (
    DIMENSION_LABELS,
    DIMENSIONS,
    FACTOR_LABELS,
    FACTOR_QUESTIONS,
    FACTORS,
    active_entries,
    grid_cells,
)
from therapy.services.protocol.elements import TECHNIQUES
from therapy.services.psfs.scoring import UNCHANGED, goal_baseline_latest, psfs_change

GOAL_STATUS_LABELS = {
    GoalStatus.ACTIVE: _l("Active"),
    GoalStatus.ACHIEVED: _l("Achieved"),
    GoalStatus.DROPPED: _l("Dropped"),
}
# Column headings of the minutes table, where the elements' full names do not fit.
ELEMENT_SHORT_LABELS = {
    ProtocolElement.EDUCATION: _l("Education"),
    ProtocolElement.BODY: _l("Body-oriented"),
    ProtocolElement.COGNITIVE: _l("Cognitive"),
    ProtocolElement.ACTIVATING: _l("Activating"),
}
ALLIANCE_LOW = 5  # any rating at or below this is flagged (DOMAIN.md §1)
ALLIANCE_DROP = 2  # a fall of this many points since the previous check-in is flagged


def _mean(values: Sequence[int]) -> float | None:
    return round(mean(values), 1) if values else None


def psfs_summary(goals: Sequence[Goal], mcid: float, closed: bool) -> PsfsSummary:
    """Each goal's baseline and end (or latest) rating, and the change in the mean."""
    facts = [goal_rating_facts(goal) for goal in goals]
    rows = []
    for goal, ratings in zip(goals, facts, strict=True):
        baseline, end = goal_baseline_latest(ratings)
        rows.append(
            GoalRow(
                position=goal.position,
                activity=goal.activity,
                patient_words=goal.patient_words,
                status=str(GOAL_STATUS_LABELS[goal.status]),
                baseline=baseline,
                end=end,
            )
        )
    # Means over the goals rated at both ends, so the change compares like with like.
    change = psfs_change(facts, mcid)
    return PsfsSummary(
        goals=tuple(rows),
        end_label=_("End") if closed else _("Latest"),
        baseline_mean=change.baseline_mean,
        end_mean=change.latest_mean,
        change=change.change,
        mcid=mcid,
        important=None if change.direction is None else change.direction != UNCHANGED,
        answered_by=sources_counted(r.source for goal in goals for r in goal.ratings),
    )


def formulation_grid(entries: Sequence[FormulationEntry]) -> FormulationGrid:
    """The grid's current texts, cell by cell."""
    current = active_entries(entries)
    cells = grid_cells(current, key=lambda e: (e.dimension, e.factor))
    rows = tuple(
        FormulationRow(
            dimension=str(DIMENSION_LABELS[dimension]),
            cells=tuple(tuple(e.text for e in cells[(dimension, factor)]) for factor in FACTORS),
        )
        for dimension in DIMENSIONS
    )
    return FormulationGrid(
        factors=tuple(str(FACTOR_LABELS[f]) for f in FACTORS),
        questions=tuple(str(FACTOR_QUESTIONS[f]) for f in FACTORS),
        rows=rows,
        entry_count=len(current),
    )


def _session_ranges(numbers: Sequence[int]) -> str:
    """Session numbers as ranges: [2, 3, 4, 7] -> "2–4, 7"."""
    parts: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(str(start) if start == previous else f"{start}\u2013{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(parts)


def _home_exercises(sessions: Sequence[TherapySession]) -> tuple[HomeExercise, ...]:
    """Each distinct home exercise text once, with the sessions it was given in."""
    given: dict[str, list[int]] = {}
    for session in sessions:
        text = session.home_exercises.strip()
        if text:
            given.setdefault(text, []).append(session.number)
    return tuple(HomeExercise(_session_ranges(numbers), text) for text, numbers in given.items())


def treatment_summary(sessions: Sequence[TherapySession], planned: int) -> TreatmentSummary:
    """Sessions held against planned, minutes per element, techniques and home exercises."""
    elements = tuple(ProtocolElement)
    technique_names = {t.code: str(t.label) for ts in TECHNIQUES.values() for t in ts}
    attended = [s for s in sessions if s.attendance == Attendance.ATTENDED]
    totals = tuple(sum(s.minutes_for(e) for s in attended) for e in elements)
    total = sum(totals)
    uses = []
    for element, minutes in zip(elements, totals, strict=True):
        counts = Counter(
            t.technique for s in attended for t in s.techniques if t.element == element
        )
        uses.append(
            ElementUse(
                name=str(ELEMENT_LABELS[element]),
                minutes=minutes,
                share=round(100 * minutes / total) if total else 0,
                sessions=sum(1 for s in attended if s.minutes_for(element)),
                techniques=tuple(
                    f"{technique_names.get(code, code)} ({count}\u00d7)"
                    for code, count in counts.most_common()
                ),
            )
        )
    return TreatmentSummary(
        planned=planned,
        held=len(attended),
        cancelled=sum(1 for s in sessions if s.attendance == Attendance.CANCELLED),
        no_show=sum(1 for s in sessions if s.attendance == Attendance.NO_SHOW),
        first_date=attended[0].held_on if attended else None,
        last_date=attended[-1].held_on if attended else None,
        element_names=tuple(str(ELEMENT_SHORT_LABELS[e]) for e in elements),
        sessions=tuple(
            SessionRow(
                number=s.number,
                held_on=s.held_on,
                attendance=str(ATTENDANCE_LABELS[s.attendance]),
                attended=s.attendance == Attendance.ATTENDED,
                duration=s.duration_minutes,
                minutes=tuple(s.minutes_for(e) for e in elements),
            )
            for s in sessions
        ),
        element_totals=totals,
        total_minutes=total,
        elements=tuple(uses),
        home_exercises=_home_exercises(attended),
    )


def alliance_summary(sessions: Sequence[TherapySession]) -> AllianceSummary:
    """Means of the three ratings, the lowest, and the check-ins that were flagged."""
    checks = [(s, s.alliance) for s in sessions if s.alliance is not None]
    flags = []
    previous = None
    for session, check in checks:
        reasons = []
        if check.lowest <= ALLIANCE_LOW:
            reasons.append(_("a rating of %(low)d or less", low=ALLIANCE_LOW))
        if previous is not None and any(
            before - now >= ALLIANCE_DROP
            for before, now in (
                (previous.bond, check.bond),
                (previous.goals, check.goals),
                (previous.tasks, check.tasks),
            )
        ):
            reasons.append(_("a drop of %(drop)d points or more", drop=ALLIANCE_DROP))
        if reasons:
            flags.append(
                AllianceFlag(
                    session.number, session.held_on, "; ".join(reasons), answered_by(check.source)
                )
            )
        previous = check
    ratings = [c for _s, c in checks]
    return AllianceSummary(
        count=len(ratings),
        bond=_mean([c.bond for c in ratings]),
        goals=_mean([c.goals for c in ratings]),
        tasks=_mean([c.tasks for c in ratings]),
        lowest=min((c.lowest for c in ratings), default=None),
        flags=tuple(flags),
        left_unsaid=sum(1 for c in ratings if c.left_unsaid.strip()),
        answered_by=sources_counted(c.source for c in ratings),
    )
