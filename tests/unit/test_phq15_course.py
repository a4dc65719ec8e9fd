"""The one baseline / latest / change rule, on plain measurements (no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from therapy.models.enums import Phq15Timepoint as T
from therapy.services.phq15.course import course_of, in_order
from therapy.services.phq15.scoring import ChangeClass, ChangeSettings

DAY = date(2026, 11, 1)


@dataclass(frozen=True)
class M:
    id: int
    timepoint: T
    administered_on: date
    total: int | None


def test_same_day_order_is_baseline_session_end_follow_up_whatever_the_entry_order():
    rows = [M(1, T.FOLLOW_UP_4_MONTHS, DAY, 3), M(2, T.END_OF_TREATMENT, DAY, 0)]
    rows += [M(3, T.SESSION, DAY, 15), M(4, T.BASELINE, DAY, 30)]
    assert [m.id for m in in_order(rows)] == [4, 3, 2, 1]


def test_course_of_each_case_says_why_there_is_no_change():
    settings = ChangeSettings()
    nothing = course_of([], settings)
    assert (nothing.baseline, nothing.change) == (None, None)
    assert nothing.no_change_reason.startswith("No baseline PHQ-15")
    no_baseline = course_of([M(1, T.SESSION, DAY, 30), M(2, T.END_OF_TREATMENT, DAY, 0)], settings)
    assert no_baseline.baseline is None and no_baseline.change is None
    assert no_baseline.latest.id == 2  # the screen still shows the last total
    incomplete = course_of(
        [M(1, T.BASELINE, date(2026, 9, 1), None), M(2, T.SESSION, DAY, 2)], settings
    )
    assert incomplete.change is None and "incomplete" in incomplete.no_change_reason
    before = course_of([M(1, T.OTHER, date(2026, 8, 1), 24), M(2, T.BASELINE, DAY, 15)], settings)
    assert before.baseline.id == 2 and before.latest is None and before.change is None
    assert before.no_change_reason.startswith("Only the baseline")


def test_a_redone_baseline_is_used_and_the_change_is_classified():
    rows = [M(1, T.BASELINE, date(2026, 9, 1), None), M(2, T.BASELINE, date(2026, 9, 2), 20)]
    course = course_of([*rows, M(3, T.END_OF_TREATMENT, DAY, 12)], ChangeSettings())
    assert course.baseline.id == 2 and course.latest.id == 3
    assert course.change.change_class is ChangeClass.RELIABLY_IMPROVED
    assert course.no_change_reason == ""
