"""PHQ-15 scoring and change classification (DOMAIN.md §3): pure, no Flask, no database.

Numbers, enums and counts only; the instrument's words and the sentences about a score are
in `words.py`, in the reader's language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

NOT_APPLICABLE = "na"
WOMEN_ONLY_ITEM = 4
ITEM_COUNT = 15
MAX_MISSING = 3
MAX_TOTAL = 30
HIGH_BOTHER_ANSWER = 2
MANY_BOTHERED_A_LOT = 3
RECOVERY_BELOW = 10
# Typographic marks for the wording in DOMAIN.md, spelled as escapes so the source stays ASCII.
EN_DASH, MINUS, ARROW = "\u2013", "\u2212", "\u2192"

PANEL_LOINC = "69728-4"
TOTAL_LOINC = "70273-8"
# The answers' values; their words (in either language) are in services/phq15/words.py.
ANSWERS = (0, 1, 2)


@dataclass(frozen=True)
class Item:
    """One PHQ-15 question: its number and LOINC code (its words are in words.py)."""

    number: int
    loinc: str

    @property
    def women_only(self) -> bool:
        """Only item 4 (periods) is asked of women only."""
        return self.number == WOMEN_ONLY_ITEM


ITEMS: tuple[Item, ...] = (
    Item(1, "69671-6"),
    Item(2, "69672-4"),
    Item(3, "69673-2"),
    Item(4, "69674-0"),
    Item(5, "69717-7"),
    Item(6, "69675-7"),
    Item(7, "69676-5"),
    Item(8, "69677-3"),
    Item(9, "69678-1"),
    Item(10, "69679-9"),
    Item(11, "69680-7"),
    Item(12, "69681-5"),
    Item(13, "69682-3"),
    Item(14, "69731-8"),
    Item(15, "69732-6"),
)


class Sex(StrEnum):
    """Sex as recorded on the patient; only decides the default for item 4."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class ScoreRule(StrEnum):
    """Which rule produced a total; always shown next to the number."""

    COMPLETE = "complete"
    ITEM4_NOT_APPLICABLE = "item4_not_applicable"
    PRORATED = "prorated"
    INCOMPLETE = "incomplete"


class Band(StrEnum):
    """Somatic symptom severity band (Kroenke 2002)."""

    MINIMAL = "minimal"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def bounds(self) -> tuple[int, int]:
        """Lowest and highest total in the band."""
        return _BAND_BOUNDS[self]

    @property
    def range_text(self) -> str:
        """The band's totals, e.g. "0-4" (written with an en dash)."""
        return f"{self.bounds[0]}{EN_DASH}{self.bounds[1]}"


_BAND_BOUNDS = {Band.MINIMAL: (0, 4), Band.LOW: (5, 9), Band.MEDIUM: (10, 14), Band.HIGH: (15, 30)}


def _check_total(total: int, name: str = "total") -> None:
    """Refuse anything that is not a whole-number PHQ-15 total."""
    # type() rather than isinstance(): bool is an int subclass and True must not score 1.
    if type(total) is not int:
        raise ValueError(f"PHQ-15 {name} must be a whole number, got {total!r}")
    if not 0 <= total <= MAX_TOTAL:
        raise ValueError(f"PHQ-15 {name} must be between 0 and {MAX_TOTAL}, got {total}")


def band_for(total: int) -> Band:
    """Severity band of a whole-number total (0 to 30)."""
    _check_total(total)
    return next(band for band in Band if total <= band.bounds[1])


@dataclass(frozen=True)
class Phq15Score:
    """The outcome of scoring one PHQ-15: total, the rule used, and the counts behind it."""

    total: int | None
    rule: ScoreRule
    maximum: int
    answered: int
    missing: int
    not_applicable: int
    raw_sum: int
    band: Band | None
    bothered_a_lot: int
    many_bothered_a_lot: bool

    @property
    def applicable(self) -> int:
        """Items that count toward the total (15, or 14 with item 4 not applicable)."""
        return self.answered + self.missing


def _check_answer(number: int, answer: int | str | None) -> None:
    """Refuse an answer that is not 0/1/2, missing, or N/A on item 4."""
    if answer is None or (answer == NOT_APPLICABLE and number == WOMEN_ONLY_ITEM):
        return
    if answer == NOT_APPLICABLE:
        raise ValueError(f"item {number} cannot be not applicable; only item 4 can")
    if type(answer) is not int or answer not in ANSWERS:
        raise ValueError(f"item {number} answer must be 0, 1, 2 or None (missing), got {answer!r}")


def score(answers: Sequence[int | str | None], sex: Sex | str | None = None) -> Phq15Score:
    """Score 15 answers (0/1/2, None for missing, NOT_APPLICABLE for item 4) per DOMAIN.md §3."""
    if isinstance(answers, str | bytes) or len(answers) != ITEM_COUNT:
        raise ValueError(f"PHQ-15 needs exactly {ITEM_COUNT} answers")
    if sex is not None and sex not in tuple(Sex):
        raise ValueError(f"unknown sex {sex!r}; expected one of {[s.value for s in Sex]}")
    values = list(answers)
    for number, answer in enumerate(values, start=1):
        _check_answer(number, answer)
    # An unanswered item 4 for a man is N/A, not missing; an explicit answer is kept.
    if sex == Sex.MALE and values[WOMEN_ONLY_ITEM - 1] is None:
        values[WOMEN_ONLY_ITEM - 1] = NOT_APPLICABLE
    given = [a for a in values if isinstance(a, int)]
    not_applicable, missing = values.count(NOT_APPLICABLE), values.count(None)
    applicable, answered, raw_sum = ITEM_COUNT - not_applicable, len(given), sum(given)
    twos = given.count(HIGH_BOTHER_ANSWER)
    total: int | None
    if missing > MAX_MISSING:
        total, rule = None, ScoreRule.INCOMPLETE
    elif missing:
        # Exact half-up rounding: float round() sends 6.5 to 6 (half to even), we need 7.
        total = math.floor(Fraction(raw_sum * applicable, answered) + Fraction(1, 2))
        rule = ScoreRule.PRORATED
    else:
        total = raw_sum
        rule = ScoreRule.ITEM4_NOT_APPLICABLE if not_applicable else ScoreRule.COMPLETE
    return Phq15Score(
        total=total,
        rule=rule,
        maximum=2 * applicable,  # 30, or 28 without item 4
        answered=answered,
        missing=missing,
        not_applicable=not_applicable,
        raw_sum=raw_sum,
        band=None if total is None else band_for(total),
        bothered_a_lot=twos,
        # Counted on the actual answers: proration must not invent "bothered a lot" items.
        many_bothered_a_lot=twos >= MANY_BOTHERED_A_LOT,
    )


def moved_into_high_band(previous_total: int | None, latest_total: int | None) -> bool:
    """True when a known total below 15 is followed by a total in the high band."""
    # Without two whole-number totals there is no movement to report.
    if previous_total is None or latest_total is None:
        return False
    return band_for(previous_total) is not Band.HIGH and band_for(latest_total) is Band.HIGH


@dataclass(frozen=True)
class ChangeSettings:
    """Practice settings for judging change: MCID and the reliability inputs of RC95."""

    mcid: int = 3
    sd: float = 4.0
    alpha: float = 0.80

    def __post_init__(self) -> None:
        """Refuse settings that would make every change (or none) reliable."""
        if type(self.mcid) is not int or self.mcid < 1:
            raise ValueError(f"MCID must be a whole number of at least 1, got {self.mcid!r}")
        # Comparisons are written so that NaN fails them and is refused as well.
        if type(self.sd) not in (int, float) or not 0 < self.sd < math.inf:
            raise ValueError(f"SD must be a number greater than 0, got {self.sd!r}")
        if type(self.alpha) not in (int, float) or not 0 <= self.alpha < 1:
            raise ValueError(f"alpha must be at least 0 and below 1, got {self.alpha!r}")

    @property
    def reliable_change(self) -> float:
        """Jacobson-Truax RC95 = 1.96 * sqrt(2) * SD * sqrt(1 - alpha), in points."""
        return 1.96 * math.sqrt(2) * self.sd * math.sqrt(1 - self.alpha)

    @property
    def reliable_change_points(self) -> int:
        """Smallest whole-number change that reaches RC95 (5 with the defaults)."""
        # The tolerance stops float noise (5.0000000001) from turning an exact 5 into 6.
        return max(1, math.ceil(self.reliable_change - 1e-9))


class ChangeClass(StrEnum):
    """How a total moved between baseline and the latest measurement."""

    RELIABLY_IMPROVED = "reliably_improved"
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSENED = "worsened"
    RELIABLY_DETERIORATED = "reliably_deteriorated"


@dataclass(frozen=True)
class Change:
    """Baseline and latest total with the class of change between them."""

    baseline: int
    latest: int
    difference: int
    change_class: ChangeClass
    recovered: bool


def classify_change(
    baseline: int, latest: int, settings: ChangeSettings = ChangeSettings()
) -> Change:
    """Classify baseline to latest by reliable change first, then by MCID."""
    _check_total(baseline, "baseline")
    _check_total(latest, "latest")
    difference = latest - baseline
    reliable = settings.reliable_change_points
    # Reliable change is tested first, so it wins even if a practice sets MCID above it.
    if difference <= -reliable:
        change_class = ChangeClass.RELIABLY_IMPROVED
    elif difference >= reliable:
        change_class = ChangeClass.RELIABLY_DETERIORATED
    elif difference <= -settings.mcid:
        change_class = ChangeClass.IMPROVED
    elif difference >= settings.mcid:
        change_class = ChangeClass.WORSENED
    else:
        change_class = ChangeClass.UNCHANGED
    recovered = change_class is ChangeClass.RELIABLY_IMPROVED and latest < RECOVERY_BELOW
    return Change(baseline, latest, difference, change_class, recovered)
