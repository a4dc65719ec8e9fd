"""Attendance rules: missed in a row, three weeks without a session, two sessions on a day."""

from __future__ import annotations

from datetime import date, timedelta

from therapy.services.episodes.attendance import (
    GAP,
    MISSED,
    SAME_DAY,
    attendance_findings,
    attendance_warnings,
    badge_codes,
    crowded_days,
    days_without_attendance,
    last_attended,
    missed_runs,
)
from therapy.services.protocol.fidelity import SessionFacts

START = date(2026, 3, 2)
TODAY = date(2026, 5, 4)


def visit(number: int, *, attended: bool = True, on: date | None = None) -> SessionFacts:
    held_on = on or START + timedelta(weeks=number)
    return SessionFacts(number, held_on, attended, 40 if attended else None, {})


def test_two_missed_sessions_in_a_row_are_found_one_is_not() -> None:
    one_missed = [visit(1), visit(2, attended=False), visit(3)]
    assert missed_runs(one_missed) == []
    sessions = [visit(1), visit(2, attended=False), visit(3, attended=False), visit(4)]
    assert missed_runs(sessions) == [(2, 3)]
    # Two cancellations and a no-show: one run of three, told in session order.
    shuffled = [visit(5, attended=False), visit(4, attended=False), visit(3, attended=False)]
    assert missed_runs([visit(1), visit(2), *shuffled]) == [(3, 4, 5)]


def test_last_session_means_the_last_attended_one() -> None:
    sessions = [visit(1), visit(2), visit(3, attended=False)]
    assert last_attended(sessions) == START + timedelta(weeks=2)
    assert last_attended([visit(1, attended=False)]) is None


def test_days_without_attendance_count_from_the_last_attended_session_or_the_start() -> None:
    sessions = [visit(1), visit(2, attended=False)]
    assert days_without_attendance(sessions, START, START + timedelta(days=28)) == 21
    assert days_without_attendance([], START, START + timedelta(days=5)) == 5


def test_a_gap_of_21_days_in_treatment_is_a_finding_20_is_not() -> None:
    sessions = [visit(1)]
    last = START + timedelta(weeks=1)

    def codes(today: date, *, in_treatment: bool = True) -> list[str]:
        return [
            f.code
            for f in attendance_findings(
                sessions, in_treatment=in_treatment, started_on=START, today=today
            )
        ]

    assert codes(last + timedelta(days=20)) == []
    assert codes(last + timedelta(days=21)) == [GAP]
    # At intake or after closing the gap is not a treatment gap.
    assert codes(last + timedelta(days=60), in_treatment=False) == []


def test_more_than_one_attended_session_on_a_day_is_found_missed_ones_do_not_count() -> None:
    day = START + timedelta(weeks=3)
    sessions = [visit(1), visit(2, on=day), visit(3, on=day), visit(4, on=day, attended=False)]
    assert crowded_days(sessions) == [(2, 3)]
    three = [visit(1, on=day), visit(2, on=day), visit(3, on=day)]
    assert crowded_days(three) == [(1, 2, 3)]
    assert crowded_days([visit(1, on=day), visit(2, on=day, attended=False)]) == []


def test_the_caseload_badge_is_for_a_run_that_is_still_going_on() -> None:
    past = [visit(1, attended=False), visit(2, attended=False), visit(3)]
    now = [visit(1), visit(2, attended=False), visit(3, attended=False)]
    kwargs = {"in_treatment": True, "started_on": START, "today": START + timedelta(weeks=3)}
    assert badge_codes(attendance_findings(past, **kwargs)) == []
    assert badge_codes(attendance_findings(now, **kwargs)) == [MISSED]


def test_warnings_name_the_sessions_and_the_days() -> None:
    day = START + timedelta(weeks=1)
    sessions = [
        visit(1, on=day),
        visit(2, on=day),
        visit(3, attended=False),
        visit(4, attended=False),
        visit(5, attended=False),
    ]
    messages = {
        w.code: w.message
        for w in attendance_warnings(sessions, in_treatment=True, started_on=START, today=TODAY)
    }
    assert messages == {
        MISSED: "Sessions 3, 4, 5 were missed in a row (cancelled or no-show).",
        GAP: "No session was attended in the last 56 days while the episode is in treatment.",
        SAME_DAY: "Sessions 1, 2 were all attended on the same day; check their dates.",
    }


def test_a_regular_treatment_has_no_attendance_warning() -> None:
    sessions = [visit(n) for n in range(1, 9)]
    today = START + timedelta(weeks=9)
    assert attendance_warnings(sessions, in_treatment=True, started_on=START, today=today) == []
