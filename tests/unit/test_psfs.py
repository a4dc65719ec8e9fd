"""PSFS: the score is the mean of the activity ratings, per occasion (DOMAIN.md §2)."""

from __future__ import annotations

from datetime import date

import pytest

from therapy.services.psfs import (
    Occasion,
    RatingFact,
    change_is_important,
    format_mean,
    psfs_course,
    psfs_mean,
)


def test_mean_of_the_activity_ratings() -> None:
    assert psfs_mean([3, 4, 8]) == 5.0
    assert psfs_mean([0, 10]) == 5.0
    assert psfs_mean([7]) == 7.0


def test_no_ratings_means_no_score_rather_than_zero() -> None:
    assert psfs_mean([]) is None
    assert format_mean(None) == "–"


@pytest.mark.parametrize("bad", [-1, 11, 2.5, True, "5", 10**30])
def test_a_rating_outside_0_to_10_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="0 to 10"):
        psfs_mean([5, bad])  # type: ignore[list-item]


def test_mean_is_shown_with_one_decimal() -> None:
    assert format_mean(psfs_mean([3, 4, 4])) == "3.7"


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


def test_clinically_important_change_is_a_rise_of_at_least_the_mcid() -> None:
    assert change_is_important(3.4, 5.4)  # float arithmetic gives 1.9999999
    assert change_is_important(3.0, 6.0)
    assert not change_is_important(3.0, 4.9)
    assert not change_is_important(6.0, 3.0)  # a fall is never an improvement
    assert change_is_important(3.0, 4.5, mcid=1.5)
