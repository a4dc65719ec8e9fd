"""Outcomes per therapist and for the practice, from the same records as the research data set.

Episodes started in the period are counted as started; every other figure is over the
episodes closed in the period (completed treatments). Scores and flags come from the pure
rules (PHQ-15 course and change, PSFS change, alliance flags, protocol fidelity).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from therapy.exports.records import EpisodeRecord, iter_records, patient_ids
from therapy.models.enums import EndingReason, ProtocolElement
from therapy.services.alliance.checkin import Checkin, alliance_flags
from therapy.services.episodes.facts import rating_fact
from therapy.services.phq15.course import course_of
from therapy.services.phq15.scoring import ChangeClass, ChangeSettings
from therapy.services.protocol.elements import (
    PROTOCOL_MAX_MINUTES,
    PROTOCOL_MAX_SESSIONS,
    PROTOCOL_MIN_MINUTES,
    PROTOCOL_MIN_SESSIONS,
)
from therapy.services.protocol.fidelity import SessionFacts, fidelity_report
from therapy.services.psfs.scoring import psfs_change

SUPPRESS_BELOW = 5  # a count of 1-4 is shown as "< 5"; a mean over fewer episodes is withheld


@dataclass(frozen=True)
class Period:
    """The months an outcomes page covers, inclusive (None: open-ended)."""

    first: date | None = None  # the first day of the first month
    last: date | None = None  # the first day of the last month

    def holds(self, day: date | None) -> bool:
        """True when the day falls in one of the period's months."""
        if day is None:
            return False
        month = date(day.year, day.month, 1)
        return (self.first is None or month >= self.first) and (
            self.last is None or month <= self.last
        )


@dataclass
class Tally:
    """The running totals of one therapist (or of the practice)."""

    started: int = 0
    closed: int = 0
    attended_sessions: int = 0
    sessions_in_protocol_length: int = 0
    episodes_in_protocol_count: int = 0
    element_minutes: Counter[ProtocolElement] = field(default_factory=Counter)
    phq15: Counter[str] = field(default_factory=Counter)  # change class, "recovered", "none"
    psfs: Counter[str] = field(default_factory=Counter)  # improved, unchanged, ..., "none"
    psfs_change_sum: float = 0.0
    with_alliance_alert: int = 0
    dropped_out: int = 0

    def add(self, other: Tally) -> None:
        """Add another tally into this one (the practice is the sum of its therapists)."""
        for name in (
            "started",
            "closed",
            "attended_sessions",
            "sessions_in_protocol_length",
            "episodes_in_protocol_count",
            "with_alliance_alert",
            "dropped_out",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.element_minutes.update(other.element_minutes)
        self.phq15.update(other.phq15)
        self.psfs.update(other.psfs)
        self.psfs_change_sum += other.psfs_change_sum


def _session_facts(record: EpisodeRecord) -> list[SessionFacts]:
    return [
        SessionFacts(
            number=s.number,
            held_on=s.held_on,
            attended=str(s.attendance) == "attended",
            duration=s.duration_minutes,
            minutes={
                element: int(getattr(s, f"{element.value}_minutes")) for element in ProtocolElement
            },
            checkin=(
                Checkin(s.number, c.bond, c.goals, c.tasks)
                if (c := record.checkins.get(s.id)) is not None
                else None
            ),
        )
        for s in record.sessions
    ]


def _closed_episode(tally: Tally, record: EpisodeRecord, settings: ChangeSettings, mcid: float):
    episode = record.row
    tally.closed += 1
    facts = _session_facts(record)
    attended = [s for s in facts if s.attended]
    tally.attended_sessions += len(attended)
    report = fidelity_report(facts, [], closed=True)
    for row in report.rows:
        tally.element_minutes[row.element] += row.total
    tally.sessions_in_protocol_length += sum(
        1
        for s in attended
        if s.duration is not None and PROTOCOL_MIN_MINUTES <= s.duration <= PROTOCOL_MAX_MINUTES
    )
    tally.episodes_in_protocol_count += (
        PROTOCOL_MIN_SESSIONS <= len(attended) <= (PROTOCOL_MAX_SESSIONS)
    )
    course = course_of(record.phq15, settings)
    if course.change is None:
        tally.phq15["none"] += 1
    else:
        tally.phq15[course.change.change_class.value] += 1
        tally.phq15["recovered"] += course.change.recovered
    sessions = {s.id: s for s in record.sessions}
    goals = [
        [rating_fact(r, sessions.get(r.session_id)) for r in record.ratings.get(goal.id, [])]
        for goal in record.goals
    ]
    change = psfs_change(goals, mcid)
    if change.direction is None or change.change is None:
        tally.psfs["none"] += 1
    else:
        tally.psfs[change.direction] += 1
        tally.psfs_change_sum += change.change
    checkins = [s.checkin for s in facts if s.checkin is not None]
    tally.with_alliance_alert += bool(alliance_flags(checkins))
    tally.dropped_out += episode.ending_reason == EndingReason.DROPPED_OUT


def practice_tallies(
    period: Period, settings: ChangeSettings, psfs_mcid: float
) -> dict[int, Tally]:
    """Each therapist's tally (by account id) over the period, read chunk by chunk."""
    tallies: dict[int, Tally] = {}
    for records in iter_records(patient_ids()):
        for patient in records:
            for record in patient.episodes:
                episode = record.row
                tally = tallies.setdefault(episode.therapist_id, Tally())
                tally.started += period.holds(episode.started_on)
                if episode.closed_on is not None and period.holds(episode.closed_on):
                    _closed_episode(tally, record, settings, psfs_mcid)
    return tallies


def total(tallies: Iterable[Tally]) -> Tally:
    """The practice's tally: the sum of its therapists'."""
    practice = Tally()
    for tally in tallies:
        practice.add(tally)
    return practice


def shown_count(count: int) -> str:
    """A count as the page shows it: "< 5" for 1-4, so no small group can be recognised."""
    return f"< {SUPPRESS_BELOW}" if 0 < count < SUPPRESS_BELOW else str(count)


def shown_share(part: int, whole: int) -> int | None:
    """A percentage, withheld (None) when the part or the whole is a small count."""
    if whole < SUPPRESS_BELOW or 0 < part < SUPPRESS_BELOW:
        return None
    return round(100 * part / whole)


def shown_mean(amount: float, over: int) -> float | None:
    """A mean, withheld (None) when it is over fewer than five episodes or sessions."""
    return None if over < SUPPRESS_BELOW else amount / over


ALL_CLASSES = [change.value for change in ChangeClass]
