"""An episode's PHQ-15 course: which result is the baseline, which the latest, and the change.

One rule for every place that shows it: the PHQ-15 page, the episode card, the alerts, the
trajectory chart, the treatment report and the GP letter. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, Protocol, TypeVar

from therapy.i18n.translation import lazy_gettext as _l
from therapy.models.enums import Phq15Timepoint
from therapy.services.phq15.scoring import Change, ChangeSettings, classify_change


class Measurement(Protocol):
    """What the rule needs of an administration (AdministrationResult and query rows have it)."""

    @property
    def id(self) -> int: ...
    @property
    def timepoint(self) -> Phq15Timepoint: ...
    @property
    def administered_on(self) -> date: ...
    @property
    def total(self) -> int | None: ...


M = TypeVar("M", bound=Measurement)

# Two results on one day: the baseline comes first and the end of treatment after a session
# measurement taken that day, so "latest" at the end of treatment is the end-of-treatment one.
_SAME_DAY_ORDER = {
    Phq15Timepoint.BASELINE: 0,
    Phq15Timepoint.OTHER: 1,
    Phq15Timepoint.SESSION: 1,
    Phq15Timepoint.END_OF_TREATMENT: 2,
    Phq15Timepoint.FOLLOW_UP_4_MONTHS: 3,
    Phq15Timepoint.FOLLOW_UP_12_MONTHS: 4,
}

NO_BASELINE = _l("No baseline PHQ-15 has been recorded, so change cannot be judged.")
INCOMPLETE_BASELINE = _l(
    "The baseline PHQ-15 is incomplete (more than 3 items missing), so change cannot be judged."
)
ONLY_BASELINE = _l("Only the baseline PHQ-15 has been measured so far, so there is no change yet.")


def order_key(measurement: Measurement) -> tuple[date, int, int]:
    """Chronological order: date, then the timepoint's place within one day, then entry order."""
    return (
        measurement.administered_on,
        _SAME_DAY_ORDER[measurement.timepoint],
        measurement.id,
    )


def in_order(measurements: Sequence[M]) -> list[M]:
    """The measurements in the order of order_key()."""
    return sorted(measurements, key=order_key)


def pick_baseline(measurements: Sequence[M]) -> M | None:
    """The earliest baseline with a total, else the earliest baseline, else None."""
    baselines = [m for m in in_order(measurements) if m.timepoint is Phq15Timepoint.BASELINE]
    return next((m for m in baselines if m.total is not None), baselines[0] if baselines else None)


def pick_latest(measurements: Sequence[M], baseline: Measurement | None) -> M | None:
    """The last measurement with a total after the baseline (or at all, without one)."""
    scored = [m for m in in_order(measurements) if m.total is not None]
    if baseline is not None:
        scored = [m for m in scored if order_key(m) > order_key(baseline)]
    return scored[-1] if scored else None


@dataclass(frozen=True)
class Course(Generic[M]):
    """Baseline, latest and the change between them, or in words why there is no change."""

    baseline: M | None
    latest: M | None
    change: Change | None
    no_change_reason: str  # empty when there is a change


def course_of(measurements: Sequence[M], settings: ChangeSettings) -> Course[M]:
    """Baseline, latest and change of one episode's PHQ-15s (DOMAIN.md §3).

    - Baseline: the earliest administration at the baseline timepoint that has a total (an
      incomplete one may have been redone); if every baseline is incomplete, the earliest of
      them, so the reason can say so. A result at another timepoint is never the baseline,
      however early: without a scored baseline there is no change class, only the reason.
    - Latest: the most recent administration with a total after the baseline, in order_key()
      order (date; on one day baseline, then session or other, end of treatment, follow-ups;
      then the order of entry). A result dated before the baseline is never the latest.
    - Change: classify_change(baseline, latest) with the practice's MCID, SD and alpha.
    """
    baseline = pick_baseline(measurements)
    latest = pick_latest(measurements, baseline)
    change, reason = None, ""
    if baseline is None:
        reason = str(NO_BASELINE)
    elif baseline.total is None:
        reason = str(INCOMPLETE_BASELINE)
    elif latest is None or latest.total is None:
        reason = str(ONLY_BASELINE)
    else:
        change = classify_change(baseline.total, latest.total, settings)
    return Course(baseline, latest, change, reason)
