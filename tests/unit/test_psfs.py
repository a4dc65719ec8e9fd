"""PSFS: the score is the mean of the activity ratings, per occasion (DOMAIN.md §2)."""

from __future__ import annotations

from datetime import date

import pytest

from therapy.services.psfs.scoring import (
    DETERIORATED,
    IMPROVED,
    UNCHANGED,
    Occasion,
    PsfsChange,
    RatingFact,
    classify_change,
    goal_baseline_latest,
    psfs_change,
    psfs_course,
    psfs_mean,
)


def test_mean_of_the_activity_ratings() -> None:
    assert psfs_mean([3, 4, 8]) == 5.0
    assert psfs_mean([0, 10]) == 5.0
    assert psfs_mean([7]) == 7.0


def test_no_ratings_means_no_score_rather_than_zero() -> None:
    assert psfs_mean([]) is None


@pytest.mark.parametrize("bad", [-1, 11, 2.5, True, "5", 10**30])
def test_a_rating_outside_0_to_10_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="0 to 10"):
        psfs_mean([5, bad])  # type: ignore[list-item]


def test_mean_keeps_its_fraction() -> None:
    assert psfs_mean([3, 4, 4]) == pytest.approx(3.667, abs=1e-3)


def test_course_takes_each_occasion_on_its_own_ratings_in_time_order() -> None:
    intake = Occasion("baseline", date(2026, 1, 5))
    first = Occasion("session", date(2026, 1, 12), 1)
    second = Occasion("session", date(2026, 1, 19), 2)
    end = Occasion("end", date(2026, 1, 19))
    ratings = [
        RatingFact(end, 9),
        RatingFact(second, 6),
        RatingFact(intake, 2),
        RatingFact(intake, 4),
        RatingFact(first, 5),  # only one of the two goals was rated in session 1
        RatingFact(second, 8),
        RatingFact(end, 7),
    ]
    course = psfs_course(ratings)
    assert [(p.occasion, p.mean, p.rated) for p in course] == [
        (intake, 3.0, 2),
        (first, 5.0, 1),
        (second, 7.0, 2),
        (end, 8.0, 2),  # same day as session 2, but the end comes after it
    ]


INTAKE = Occasion("baseline", date(2026, 1, 5))
S1 = Occasion("session", date(2026, 1, 12), 1)
S2 = Occasion("session", date(2026, 1, 19), 2)
END = Occasion("end", date(2026, 1, 19))


def _goal(*ratings: tuple[Occasion, int]) -> list[RatingFact]:
    return [RatingFact(occasion, score) for occasion, score in ratings]


def test_a_rise_of_the_mcid_is_an_improvement_a_fall_of_it_a_deterioration() -> None:
    assert classify_change(2.0) == IMPROVED
    assert classify_change(5.4 - 3.4) == IMPROVED  # float arithmetic gives 1.9999999
    assert classify_change(1.9) == UNCHANGED
    assert classify_change(0.0) == UNCHANGED
    assert classify_change(-1.9) == UNCHANGED
    assert classify_change(-2.0) == DETERIORATED
    assert classify_change(3.4 - 5.4) == DETERIORATED
    assert classify_change(1.5, mcid=1.5) == IMPROVED
    assert classify_change(-1.5, mcid=1.5) == DETERIORATED
    assert classify_change(-1.4, mcid=1.5) == UNCHANGED


def test_goal_latest_is_the_end_rating_else_the_last_session_in_time_order() -> None:
    assert goal_baseline_latest(_goal((S2, 6), (INTAKE, 2), (S1, 4))) == (2, 6)
    assert goal_baseline_latest(_goal((INTAKE, 2), (END, 9), (S2, 6))) == (2, 9)
    assert goal_baseline_latest(_goal((INTAKE, 2))) == (2, None)
    assert goal_baseline_latest(_goal((S1, 4))) == (None, 4)  # added after the intake
    assert goal_baseline_latest([]) == (None, None)


def test_the_audit_repro_compares_only_the_goal_rated_at_both_ends() -> None:
    # Intake: A = 2, B = 8 (mean 5.0). Session 1 rates only A = 4. The old page compared
    # 5.0 (both goals) with 4.0 (A alone) and showed a fall; A alone went 2 -> 4.
    a = _goal((INTAKE, 2), (S1, 4))
    b = _goal((INTAKE, 8))
    assert psfs_change([a, b]) == PsfsChange(1, 2.0, 4.0, 2.0, IMPROVED)


def test_each_goal_is_compared_with_its_own_latest_rating() -> None:
    # A: 2 -> 3 (session 2); B: 8 -> 4 (session 1, not rated in 2); C never re-rated.
    a = _goal((INTAKE, 2), (S1, 2), (S2, 3))
    b = _goal((INTAKE, 8), (S1, 4))
    c = _goal((INTAKE, 5))
    # Baseline mean (2 + 8) / 2 = 5.0, latest (3 + 4) / 2 = 3.5: a fall of 1.5.
    assert psfs_change([a, b, c]) == PsfsChange(2, 5.0, 3.5, -1.5, UNCHANGED)
    # With an MCID of 1.5 the same fall is a clinically important deterioration.
    assert psfs_change([a, b, c], mcid=1.5).direction == DETERIORATED


def test_a_fall_of_the_mcid_is_a_deterioration() -> None:
    # (7 + 6 + 8) / 3 = 7.0 at intake; (4 + 5 + 6) / 3 = 5.0 at the end: -2.0.
    goals = [
        _goal((INTAKE, 7), (S1, 6), (END, 4)),
        _goal((INTAKE, 6), (END, 5)),
        _goal((INTAKE, 8), (S2, 6)),
    ]
    assert psfs_change(goals) == PsfsChange(3, 7.0, 5.0, -2.0, DETERIORATED)


def test_the_change_is_judged_on_the_means_as_shown() -> None:
    # (3 + 4 + 4) / 3 = 3.67 -> 3.7 and (5 + 6 + 6) / 3 = 5.67 -> 5.7: shown as +2.0.
    goals = [_goal((INTAKE, 3), (S1, 5)), _goal((INTAKE, 4), (S1, 6)), _goal((INTAKE, 4), (S1, 6))]
    assert psfs_change(goals) == PsfsChange(3, 3.7, 5.7, 2.0, IMPROVED)


def test_nothing_to_compare_before_a_goal_is_re_rated() -> None:
    assert psfs_change([_goal((INTAKE, 3)), _goal((S1, 5))]) == PsfsChange(
        0, None, None, None, None
    )
    assert psfs_change([]) == PsfsChange(0, None, None, None, None)


def test_the_baseline_is_the_intake_rating_even_when_a_session_is_dated_earlier() -> None:
    # Legacy data: an intake moved past session 1. The baseline is still the intake rating,
    # not whatever was rated first.
    early = Occasion("session", date(2026, 1, 1), 1)
    a = _goal((early, 9), (INTAKE, 3), (S2, 5))
    assert goal_baseline_latest(a) == (3, 5)
    assert psfs_change([a]) == PsfsChange(1, 3.0, 5.0, 2.0, IMPROVED)
