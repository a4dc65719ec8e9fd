"""A series of planned sessions: its days, a week or two apart, never more than twelve."""

from __future__ import annotations

from datetime import date

from therapy.models.enums import Repeat
from therapy.services.episodes.planning import MAX_SERIES, series_days

MONDAY = date(2026, 12, 7)


def test_a_weekly_series_falls_on_the_same_weekday() -> None:
    days = series_days(MONDAY, Repeat.WEEKLY, 4)
    assert days == [date(2026, 12, 7), date(2026, 12, 14), date(2026, 12, 21), date(2026, 12, 28)]
    assert {day.weekday() for day in days} == {0}


def test_a_fortnightly_series_skips_a_week_and_crosses_the_year() -> None:
    assert series_days(MONDAY, Repeat.FORTNIGHTLY, 3) == [
        date(2026, 12, 7),
        date(2026, 12, 21),
        date(2027, 1, 4),
    ]


def test_once_is_one_day_whatever_the_count_and_a_series_has_at_most_twelve() -> None:
    assert series_days(MONDAY, Repeat.ONCE, 6) == [MONDAY]
    assert len(series_days(MONDAY, Repeat.WEEKLY, 40)) == MAX_SERIES == 12
    assert series_days(MONDAY, Repeat.WEEKLY, 0) == [MONDAY]
