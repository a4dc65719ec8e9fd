"""Protocol fidelity: the matrix and each warning follow what was entered (DOMAIN.md §1)."""

from __future__ import annotations

from datetime import date, timedelta

from therapy.models.enums import ProtocolElement as E
from therapy.services.alliance.checkin import Checkin
from therapy.services.protocol.fidelity import (
    GoalFacts,
    SessionFacts,
    fidelity_report,
    shade_for,
    shade_legend,
    unreviewed_goals,
)

START = date(2026, 1, 5)


def session(number: int, minutes=(10, 10, 10, 10), *, attended=True, duration=40, checkin=None):
    return SessionFacts(
        number=number,
        held_on=START + timedelta(weeks=number),
        attended=attended,
        duration=duration if attended else None,
        minutes=dict(zip(E, minutes, strict=True)) if attended else {},
        checkin=Checkin(number, *checkin) if checkin else None,
    )


def codes(report) -> list[str]:
    return [w.code for w in report.warnings]


def test_matrix_has_a_row_per_element_a_column_per_session_and_totals() -> None:
    sessions = [
        session(1, (20, 15, 0, 5)),
        session(2, attended=False),
        session(3, (5, 10, 15, 10)),
    ]
    report = fidelity_report(sessions, [], closed=False)
    assert [row.element for row in report.rows] == list(E)
    education = report.rows[0]
    assert [c.minutes if c else None for c in education.cells] == [20, None, 5]
    assert [row.total for row in report.rows] == [25, 25, 15, 15]
    assert report.total_minutes == 80
    assert [row.share for row in report.rows] == [31, 31, 19, 19]
    assert report.attended == 2


def test_shade_steps_follow_minutes() -> None:
    minutes = (0, 1, 4, 5, 9, 10, 14, 15, 19, 20, 29, 30, 240)
    assert [shade_for(m) for m in minutes] == [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]
    assert shade_for(10) != shade_for(15)  # the audit: both looked the same


def test_the_legend_names_the_minutes_of_every_shade() -> None:
    assert shade_legend() == [
        (0, "0 min"),
        (1, "1–4 min"),
        (2, "5–9 min"),
        (3, "10–14 min"),
        (4, "15–19 min"),
        (5, "20–29 min"),
        (6, "30+ min"),
    ]
    # Every minute count falls in the legend entry of its own shade.
    for minutes in range(0, 61):
        shade, text = shade_legend()[shade_for(minutes)]
        assert shade == shade_for(minutes)
        low = int(text.split("–")[0].split()[0].rstrip("+"))
        assert minutes >= low


def test_a_protocol_episode_has_no_warnings() -> None:
    sessions = [session(n, checkin=(8, 8, 8)) for n in range(1, 7)]
    goals = [GoalFacts(1, "Cycling", True, frozenset({5, 6}))]
    assert fidelity_report(sessions, goals, closed=True).warnings == []


def test_too_few_attended_sessions_only_counts_at_closure() -> None:
    sessions = [session(n) for n in range(1, 6)] + [session(6, attended=False)]
    assert "sessions_below_protocol" not in codes(fidelity_report(sessions, [], closed=False))
    report = fidelity_report(sessions, [], closed=True)
    assert "sessions_below_protocol" in codes(report)
    assert "5 attended sessions" in str(report.warnings[0].message)


def test_more_than_twelve_attended_sessions_is_flagged_even_before_closure() -> None:
    sessions = [session(n) for n in range(1, 14)]
    assert "sessions_above_protocol" in codes(fidelity_report(sessions, [], closed=False))
    twelve = [session(n) for n in range(1, 13)] + [session(13, attended=False)]
    assert "sessions_above_protocol" not in codes(fidelity_report(twelve, [], closed=True))


def test_an_element_not_used_by_the_fourth_attended_session_is_named() -> None:
    no_activating = (10, 10, 10, 0)
    sessions = [session(n, no_activating) for n in (1, 2, 3)]
    assert "element_unused" not in codes(fidelity_report(sessions, [], closed=False))
    sessions.append(session(4, attended=False))  # a cancelled session does not count
    assert "element_unused" not in codes(fidelity_report(sessions, [], closed=False))
    sessions.append(session(5, no_activating))
    report = fidelity_report(sessions, [], closed=False)
    assert codes(report) == ["element_unused"]
    assert str(report.warnings[0].message) == (
        "Activating therapy was not used in any of the 4 sessions."
    )
    sessions += [session(6, no_activating), session(7, no_activating)]
    # The span named is the real one: every attended session so far, not "the first 4".
    assert [str(w.message) for w in fidelity_report(sessions, [], closed=False).warnings] == [
        "Activating therapy was not used in any of the 6 sessions."
    ]
    # Used in a later session is too late: still a warning, saying when it came.
    sessions.append(session(8, (0, 0, 0, 40)))
    assert [str(w.message) for w in fidelity_report(sessions, [], closed=False).warnings] == [
        "Activating therapy was not used in the first 4 sessions; it was first used in session 8."
    ]


def test_durations_outside_30_to_45_are_named_per_session() -> None:
    sessions = [
        session(1, (5, 5, 5, 5), duration=29),
        session(2, duration=30),
        session(3, duration=45),
        session(4, duration=46),
    ]
    report = fidelity_report(sessions, [], closed=False)
    durations = [str(w.message) for w in report.warnings if w.code == "duration_outside_protocol"]
    assert len(durations) == 2
    assert "Session 1 lasted 29 minutes" in durations[0]
    assert "Session 4 lasted 46 minutes" in durations[1]


def test_goal_not_rated_in_the_last_two_attended_sessions() -> None:
    sessions = [session(1), session(2), session(3, attended=False), session(4)]
    rated_in_1 = GoalFacts(1, "Cycling", True, frozenset({1}))
    rated_in_2 = GoalFacts(2, "Shopping", True, frozenset({2}))
    achieved = GoalFacts(3, "Reading", False, frozenset())
    assert unreviewed_goals([rated_in_1, rated_in_2, achieved], sessions) == [rated_in_1]
    report = fidelity_report(sessions, [rated_in_1, rated_in_2, achieved], closed=False)
    assert [str(w.message) for w in report.warnings] == [
        "Goal 1, “Cycling”, was not rated in the last two sessions."
    ]


def test_goals_are_not_judged_before_two_sessions_took_place() -> None:
    goal = GoalFacts(1, "Cycling", True, frozenset())
    assert unreviewed_goals([goal], [session(1), session(2, attended=False)]) == []


def test_alliance_low_and_drop_warnings_name_session_and_question() -> None:
    sessions = [session(1, checkin=(9, 9, 9)), session(2, checkin=(9, 9, 6)), session(3)]
    sessions.append(session(4, checkin=(5, 9, 6)))
    messages = [str(w.message) for w in fidelity_report(sessions, [], closed=False).warnings]
    assert messages == [
        "Session 2: “The approach fits me” dropped from 9 to 6.",
        "Session 4: “I felt heard and respected” was rated 5 (5 or lower).",
        "Session 4: “I felt heard and respected” dropped from 9 to 5.",
    ]
