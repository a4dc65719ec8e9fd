"""Attendance rules: missed sessions in a row, a long gap in treatment, a day with two sessions.

Pure: it reads plain facts (anything with a session number, a date and whether the session
was attended), so the episode page's warnings, the caseload's badges and the unit tests judge
attendance by the same rules. The rules warn; none forbids logging a session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from therapy.i18n.translation import gettext as _

MISSED_IN_A_ROW = 2  # this many missed (cancelled or no-show) sessions in a row is a warning
GAP_DAYS = 21  # in treatment this many days without an attended session is a warning

MISSED = "missed_in_a_row"
GAP = "no_attended_session"
SAME_DAY = "attended_twice_on_a_day"


class Visit(Protocol):
    """What the rules need of a session."""

    @property
    def number(self) -> int: ...

    @property
    def held_on(self) -> date: ...

    @property
    def attended(self) -> bool: ...


@dataclass(frozen=True)
class AttendanceFinding:
    """One rule that fires, with what it found."""

    code: str  # MISSED, GAP or SAME_DAY
    numbers: tuple[int, ...] = ()  # the sessions concerned
    days: int = 0  # for GAP: days since the last attended session (or the start)
    current: bool = True  # for MISSED: the run reaches the latest session


@dataclass(frozen=True)
class AttendanceWarning:
    """A finding in plain language (a plain string, like the fidelity warnings)."""

    code: str
    message: str


def last_attended(sessions: Sequence[Visit]) -> date | None:
    """The date of the latest attended session: what "last session" means."""
    return max((s.held_on for s in sessions if s.attended), default=None)


def missed_runs(sessions: Sequence[Visit]) -> list[tuple[int, ...]]:
    """Runs of MISSED_IN_A_ROW or more consecutive missed sessions, by session number."""
    runs: list[tuple[int, ...]] = []
    run: list[int] = []
    for session in sorted(sessions, key=lambda s: s.number):
        if session.attended:
            if len(run) >= MISSED_IN_A_ROW:
                runs.append(tuple(run))
            run = []
        else:
            run.append(session.number)
    if len(run) >= MISSED_IN_A_ROW:
        runs.append(tuple(run))
    return runs


def days_without_attendance(sessions: Sequence[Visit], started_on: date, today: date) -> int:
    """Days since the last attended session, or since the episode started if none was."""
    since = last_attended(sessions) or started_on
    return max(0, (today - since).days)


def crowded_days(sessions: Sequence[Visit]) -> list[tuple[int, ...]]:
    """Sessions attended on the same day as another attended one, grouped per day."""
    by_day: dict[date, list[int]] = {}
    for session in sessions:
        if session.attended:
            by_day.setdefault(session.held_on, []).append(session.number)
    return [tuple(sorted(numbers)) for _day, numbers in sorted(by_day.items()) if len(numbers) > 1]


def attendance_findings(
    sessions: Sequence[Visit], *, in_treatment: bool, started_on: date, today: date
) -> list[AttendanceFinding]:
    """Every attendance rule that fires for an episode's sessions."""
    latest = max((s.number for s in sessions), default=None)
    findings = [
        AttendanceFinding(MISSED, run, current=run[-1] == latest) for run in missed_runs(sessions)
    ]
    if in_treatment:
        days = days_without_attendance(sessions, started_on, today)
        if days >= GAP_DAYS:
            findings.append(AttendanceFinding(GAP, days=days))
    findings += [AttendanceFinding(SAME_DAY, numbers) for numbers in crowded_days(sessions)]
    return findings


def badge_codes(findings: Sequence[AttendanceFinding]) -> list[str]:
    """The findings the caseload shows as a badge: only a run of missed sessions still going on."""
    codes = []
    for finding in findings:
        if finding.code == MISSED and not finding.current:
            continue
        if finding.code not in codes:
            codes.append(finding.code)
    return codes


def _numbers(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def warning_for(finding: AttendanceFinding) -> AttendanceWarning:
    """A finding as the episode page says it."""
    if finding.code == MISSED:
        message = _(
            "Sessions %(numbers)s were missed in a row (cancelled or no-show).",
            numbers=_numbers(finding.numbers),
        )
    elif finding.code == GAP:
        message = _(
            "No session was attended in the last %(days)d days while the episode is in treatment.",
            days=finding.days,
        )
    else:
        message = _(
            "Sessions %(numbers)s were all attended on the same day; check their dates.",
            numbers=_numbers(finding.numbers),
        )
    return AttendanceWarning(finding.code, message)


def attendance_warnings(
    sessions: Sequence[Visit], *, in_treatment: bool, started_on: date, today: date
) -> list[AttendanceWarning]:
    """The episode page's attendance warnings."""
    findings = attendance_findings(
        sessions, in_treatment=in_treatment, started_on=started_on, today=today
    )
    return [warning_for(finding) for finding in findings]
