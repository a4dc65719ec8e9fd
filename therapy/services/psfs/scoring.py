"""Patient-Specific Functional Scale arithmetic (DOMAIN.md §2): pure, no database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

PSFS_MIN = 0
PSFS_MAX = 10
MAX_GOALS = 5
DEFAULT_MCID = 2.0
# Occasions of one day sort as intake, then sessions, then the end of treatment.
_KIND_ORDER = {"baseline": 0, "session": 1, "end": 2}


def psfs_mean(scores: Iterable[int]) -> float | None:
    """The PSFS score: the mean of the activity ratings, or None when nothing was rated."""
    values = list(scores)
    for value in values:
        if type(value) is not int or not PSFS_MIN <= value <= PSFS_MAX:
            raise ValueError(f"a PSFS rating is a whole number from 0 to 10, got {value!r}")
    if not values:
        return None
    return sum(values) / len(values)


@dataclass(frozen=True)
class Occasion:
    """When ratings were given: at intake ("baseline"), in session `number`, or at the "end"."""

    kind: str
    day: date
    number: int = 0


@dataclass(frozen=True)
class RatingFact:
    """One PSFS rating as plain data."""

    occasion: Occasion
    score: int


@dataclass(frozen=True)
class PsfsPoint:
    """The PSFS mean at one occasion and how many activities it is the mean of."""

    occasion: Occasion
    mean: float
    rated: int


def psfs_course(ratings: Sequence[RatingFact]) -> list[PsfsPoint]:
    """The PSFS mean per occasion in time order; each uses only that occasion's ratings."""
    grouped: dict[Occasion, list[int]] = {}
    for rating in ratings:
        grouped.setdefault(rating.occasion, []).append(rating.score)
    ordered = sorted(
        grouped.items(), key=lambda item: (item[0].day, _KIND_ORDER[item[0].kind], item[0].number)
    )
    return [
        PsfsPoint(occasion, psfs_mean(scores) or 0.0, len(scores)) for occasion, scores in ordered
    ]


# How a change of the mean reads against the MCID (DOMAIN.md §2: higher is better).
IMPROVED = "improved"
DETERIORATED = "deteriorated"
UNCHANGED = "unchanged"


def classify_change(change: float, mcid: float = DEFAULT_MCID) -> str:
    """A rise of at least the MCID is an improvement, a fall of as much a deterioration."""
    # The tolerance keeps 3.4 -> 5.4 (float 1.9999999) from missing an MCID of 2.
    if change >= mcid - 1e-9:
        return IMPROVED
    if change <= -mcid + 1e-9:
        return DETERIORATED
    return UNCHANGED


def _order(rating: RatingFact) -> tuple[date, int, int]:
    occasion = rating.occasion
    return occasion.day, _KIND_ORDER[occasion.kind], occasion.number


def goal_baseline_latest(ratings: Sequence[RatingFact]) -> tuple[int | None, int | None]:
    """One goal's intake rating and its latest later one (the end rating when there is one)."""
    baseline = next((r.score for r in ratings if r.occasion.kind == "baseline"), None)
    later = [r for r in ratings if r.occasion.kind != "baseline"]
    ends = [r for r in later if r.occasion.kind == "end"]
    # A stable sort: ratings of one day and number keep the order they were given in.
    latest = ends[-1] if ends else (sorted(later, key=_order)[-1] if later else None)
    return baseline, latest.score if latest else None


@dataclass(frozen=True)
class PsfsChange:
    """Baseline -> latest PSFS mean over the goals rated at both, and what the change means."""

    paired: int  # goals rated at intake and later: the only ones compared
    baseline_mean: float | None  # one decimal, as shown
    latest_mean: float | None
    change: float | None  # latest - baseline, one decimal; positive is better
    direction: str | None  # IMPROVED, DETERIORATED or UNCHANGED; None when nothing is paired


def psfs_change(goals: Iterable[Sequence[RatingFact]], mcid: float = DEFAULT_MCID) -> PsfsChange:
    """Compare like with like: each goal's intake rating with its latest, means over those goals.

    The change is judged on the means as shown (one decimal), so the words never contradict
    the numbers beside them.
    """
    pairs = [
        (baseline, latest)
        for baseline, latest in map(goal_baseline_latest, goals)
        if baseline is not None and latest is not None
    ]
    if not pairs:
        return PsfsChange(0, None, None, None, None)
    baseline_mean = round(psfs_mean(b for b, _l in pairs) or 0.0, 1)
    latest_mean = round(psfs_mean(latest for _b, latest in pairs) or 0.0, 1)
    change = round(latest_mean - baseline_mean, 1)
    return PsfsChange(len(pairs), baseline_mean, latest_mean, change, classify_change(change, mcid))
