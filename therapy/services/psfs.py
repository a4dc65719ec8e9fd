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


def format_mean(mean: float | None) -> str:
    """A PSFS mean as shown on screen: one decimal, or a dash when there is none."""
    return "–" if mean is None else f"{mean:.1f}"


def change_is_important(baseline: float, latest: float, mcid: float = DEFAULT_MCID) -> bool:
    """True when the mean rose by at least the MCID (higher is better on the PSFS)."""
    # The tolerance keeps 3.4 -> 5.4 (float 1.9999999) from missing an MCID of 2.
    return latest - baseline >= mcid - 1e-9
