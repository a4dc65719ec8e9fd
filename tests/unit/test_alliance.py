"""Alliance check-in: a rating of 5 or less, or a drop of 2 or more, is flagged (DOMAIN.md §1)."""

from __future__ import annotations

from therapy.services.alliance.checkin import QUESTIONS, Checkin, alliance_flags, current_flags


def test_the_three_questions_are_worded_as_in_the_domain_reference() -> None:
    assert [str(q) for q in QUESTIONS.values()] == [
        "I felt heard and respected",
        "We worked on what I wanted",
        "The approach fits me",
    ]


def test_good_and_steady_ratings_raise_no_flag() -> None:
    assert alliance_flags([Checkin(1, 8, 8, 8), Checkin(2, 7, 9, 7), Checkin(3, 6, 8, 6)]) == []


def test_a_rating_of_five_is_low_and_six_is_not() -> None:
    flags = alliance_flags([Checkin(1, 5, 6, 10)])
    assert [(f.question, f.kind, f.rating) for f in flags] == [("bond", "low", 5)]


def test_a_drop_of_two_since_the_previous_check_in_is_flagged_but_one_is_not() -> None:
    flags = alliance_flags([Checkin(1, 9, 9, 9), Checkin(2, 8, 7, 9)])
    assert [(f.session_number, f.question, f.kind, f.previous, f.rating) for f in flags] == [
        (2, "goals", "drop", 9, 7)
    ]


def test_drop_is_compared_with_the_previous_check_in_by_session_number() -> None:
    # Given out of order; session 4 follows session 2, not session 5.
    flags = alliance_flags([Checkin(5, 6, 9, 9), Checkin(2, 9, 9, 9), Checkin(4, 9, 9, 9)])
    assert [(f.session_number, f.question, f.kind) for f in flags] == [(5, "bond", "drop")]


def test_low_and_drop_together_give_two_flags() -> None:
    flags = alliance_flags([Checkin(1, 8, 8, 8), Checkin(2, 4, 8, 8)])
    assert {(f.kind, f.rating) for f in flags} == {("low", 4), ("drop", 4)}


def test_current_flags_look_at_the_latest_check_in_only() -> None:
    earlier_problem = [Checkin(1, 3, 8, 8), Checkin(2, 8, 8, 8)]
    assert current_flags(earlier_problem) == []
    assert [f.kind for f in current_flags([Checkin(1, 9, 9, 9), Checkin(2, 7, 9, 9)])] == ["drop"]
    assert current_flags([]) == []
