"""The PHQ-15 part of both documents: its plain data, built with the screen's course rule."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

from therapy.i18n.translation import gettext as _
from therapy.models import Phq15Administration
from therapy.services.documents.sources import answered_by
from therapy.services.phq15 import scoring as phq15
from therapy.services.phq15.chart import render_trajectory_svg
from therapy.services.phq15.course import course_of, in_order
from therapy.services.phq15.records import AdministrationResult, result_of
from therapy.services.phq15.summary import trajectory_points
from therapy.services.phq15.words import (
    COPYRIGHT,
    band_label,
    change_brief,
    change_sentence,
    score_description,
)


@dataclasses.dataclass(frozen=True)
class Phq15Row:
    """One PHQ-15 administration as printed."""

    administered_on: date
    timepoint: str
    total: int | None
    maximum: int
    band: str
    rule: str
    many_bothered_a_lot: bool
    is_baseline: bool
    # Who answered (DOMAIN.md §9): the patient on a device or by link, or the therapist from
    # paper; empty only in documents made before it was printed for every row.
    answered_by: str = ""


@dataclasses.dataclass(frozen=True)
class Phq15Summary:
    """PHQ-15 table, the trajectory chart (SVG) and the change from baseline in words.

    `change` is the change class in words, or why there is none; `has_change` says which.
    Baseline and latest are the course rule's (services.phq15_course), as on the screen.
    """

    rows: tuple[Phq15Row, ...]
    baseline_total: int | None
    baseline_maximum: int | None
    baseline_band: str
    latest_total: int | None
    latest_maximum: int | None
    latest_band: str
    latest_label: str
    has_change: bool
    change: str
    chart_svg: str
    mcid: int
    reliable_change: int
    copyright: str
    change_brief: str = ""  # the change without the totals, for a table that shows them
    # Who answered the baseline and the latest PHQ-15 (the letter prints only these two).
    baseline_answered_by: str = ""
    latest_answered_by: str = ""


def _band(total: int | None) -> str:
    return band_label(phq15.band_for(total)) if total is not None else ""


def _row(result: AdministrationResult, baseline_id: int | None) -> Phq15Row:
    # The stored total is the number; the stored answers (with item 4's N/A as it was
    # resolved when saved) give its rule and maximum. The patient's sex today plays no part.
    return Phq15Row(
        administered_on=result.administered_on,
        timepoint=result.label,
        total=result.total,
        maximum=result.score.maximum,
        band=_band(result.total) or _("Incomplete"),
        rule=score_description(result.score),
        many_bothered_a_lot=result.score.many_bothered_a_lot,
        is_baseline=result.id == baseline_id,
        answered_by=answered_by(result.source),
    )


def phq15_summary(
    administrations: Sequence[Phq15Administration],
    session_numbers: dict[int, int],
    settings: phq15.ChangeSettings,
) -> Phq15Summary:
    """The PHQ-15 table, the chart and the baseline -> latest change in words."""
    results = in_order(
        [
            result_of(item, session_numbers.get(item.session_id) if item.session_id else None)
            for item in administrations
        ]
    )
    course = course_of(results, settings)
    # An incomplete baseline is marked in the table but has no number to print or compare.
    baseline = course.baseline if course.baseline and course.baseline.total is not None else None
    latest = course.latest
    baseline_id = course.baseline.id if course.baseline else None
    return Phq15Summary(
        rows=tuple(_row(result, baseline_id) for result in results),
        baseline_total=baseline.total if baseline else None,
        baseline_maximum=baseline.score.maximum if baseline else None,
        baseline_band=_band(baseline.total if baseline else None),
        latest_total=latest.total if latest else None,
        latest_maximum=latest.score.maximum if latest else None,
        latest_band=_band(latest.total if latest else None),
        latest_label=latest.label if latest else "",
        has_change=course.change is not None,
        change=change_sentence(course.change) if course.change else course.no_change_reason,
        change_brief=change_brief(course.change) if course.change else course.no_change_reason,
        chart_svg=render_trajectory_svg(
            trajectory_points(results, course.baseline), settings, width=640, height=270
        ),
        mcid=settings.mcid,
        reliable_change=settings.reliable_change_points,
        copyright=str(COPYRIGHT),
        baseline_answered_by=answered_by(baseline.source) if baseline else "",
        latest_answered_by=answered_by(latest.source) if latest else "",
    )
