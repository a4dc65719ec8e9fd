"""The practice's own alliance check-in (DOMAIN.md §1) and when it flags: pure, no database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from therapy.i18n.translation import lazy_gettext as _l

# The three questions, word for word; the patient rates each 0-10.
QUESTIONS = {
    "bond": _l("I felt heard and respected"),
    "goals": _l("We worked on what I wanted"),
    "tasks": _l("The approach fits me"),
}
LEFT_UNSAID = _l("Anything left unsaid?")
NOT_VALIDATED = _l(
    "This is the practice's own short check-in, not a validated instrument: it is a prompt "
    "to talk, not a score."
)
LOW_AT_MOST = 5  # any rating of 5 or less is flagged
DROP_AT_LEAST = 2  # so is a fall of 2 points or more since the previous check-in


@dataclass(frozen=True)
class Checkin:
    """One check-in as plain data, with the number of the session it was given in."""

    session_number: int
    bond: int
    goals: int
    tasks: int

    def rating(self, question: str) -> int:
        """The rating of one question ("bond", "goals" or "tasks")."""
        return int(getattr(self, question))


@dataclass(frozen=True)
class AllianceFlag:
    """A reason to talk about the working relationship: a low rating or a drop."""

    session_number: int
    question: str
    kind: str  # "low" or "drop"
    rating: int
    previous: int | None = None


def alliance_flags(checkins: Sequence[Checkin]) -> list[AllianceFlag]:
    """Every flag in a series of check-ins, compared each time with the one before."""
    flags: list[AllianceFlag] = []
    ordered = sorted(checkins, key=lambda checkin: checkin.session_number)
    previous: Checkin | None = None
    for checkin in ordered:
        for question in QUESTIONS:
            rating = checkin.rating(question)
            if rating <= LOW_AT_MOST:
                flags.append(AllianceFlag(checkin.session_number, question, "low", rating))
            if previous is not None and previous.rating(question) - rating >= DROP_AT_LEAST:
                flags.append(
                    AllianceFlag(
                        checkin.session_number,
                        question,
                        "drop",
                        rating,
                        previous.rating(question),
                    )
                )
        previous = checkin
    return flags


def current_flags(checkins: Sequence[Checkin]) -> list[AllianceFlag]:
    """The flags of the latest check-in only: what needs attention now."""
    if not checkins:
        return []
    latest = max(checkin.session_number for checkin in checkins)
    return [flag for flag in alliance_flags(checkins) if flag.session_number == latest]


def alliance_detail(flags: Sequence[AllianceFlag]) -> str:
    """The latest check-in's flags in words, one sentence per question: a drop or a low rating."""
    by_question: dict[str, dict[str, AllianceFlag]] = defaultdict(dict)
    for flag in flags:
        by_question[flag.question][flag.kind] = flag
    sentences = []
    for question, kinds in by_question.items():
        drop, low = kinds.get("drop"), kinds.get("low")
        if drop is None:
            text = _l(
                "In the last check-in “%(question)s” was rated %(rating)d (5 or lower).",
                question=QUESTIONS[question],
                rating=kinds["low"].rating,
            )
        elif low is None:
            text = _l(
                "In the last check-in “%(question)s” dropped from %(previous)d to %(rating)d.",
                question=QUESTIONS[question],
                previous=drop.previous,
                rating=drop.rating,
            )
        else:
            text = _l(
                "In the last check-in “%(question)s” dropped from %(previous)d to %(rating)d "
                "(5 or lower).",
                question=QUESTIONS[question],
                previous=drop.previous,
                rating=drop.rating,
            )
        sentences.append(str(text))
    # A plain string: a lazy one would count as safe HTML in the template.
    return " ".join(sentences)
