"""The research data set's tables: each column, what it means, and the rows of one patient.

No names, no free text, no BSN, no record number, no exact date: records are named by keyed
pseudonyms and dates are days since the episode's intake (started_on), or a month.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from therapy.exports.records import EpisodeRecord, PatientRecord, day_number
from therapy.exports.research.cells import Cell
from therapy.exports.research.pseudonyms import Pseudonymiser
from therapy.models.phq15 import ITEM_COLUMNS
from therapy.services.phq15.scoring import band_for

Row = Sequence[Cell]


@dataclass(frozen=True)
class Column:
    """One column of a table, as the data dictionary describes it."""

    name: str
    kind: str  # "pseudonym", "integer", "code", "month"
    description: str
    values: str = ""


def _c(name: str, kind: str, description: str, values: str = "") -> Column:
    return Column(name, kind, description, values)


DAY = "days since the episode's intake (started_on); negative before it"
PATIENTS = (
    _c("patient", "pseudonym", "the patient (HMAC-SHA-256 of the record id)"),
    _c("sex", "code", "sex as recorded", "female, male, other"),
    _c("age_at_first_intake", "integer", "age in whole years at the first episode's intake"),
    _c(
        "education_level", "code", "highest completed education (CBS)", "low, middle, high, unknown"
    ),
    _c("symptom_intensity", "integer", "symptom intensity at referral, 0-10; empty if not asked"),
    _c("main_symptoms", "code", "Robbins-list main symptoms, separated by ';'"),
)
EPISODES = (
    _c("episode", "pseudonym", "the treatment episode"),
    _c("patient", "pseudonym", "the patient (patients.csv)"),
    _c("therapist", "pseudonym", "the treating therapist"),
    _c("status", "code", "where the episode stands", "intake, active, closed"),
    _c("started_month", "month", "month of the intake, YYYY-MM"),
    _c("closed_month", "month", "month the episode closed, YYYY-MM; empty while open"),
    _c("referral_day", "integer", f"referral date in {DAY}"),
    _c("closed_day", "integer", f"closing date in {DAY}; empty while open"),
    _c("planned_sessions", "integer", "sessions planned at intake"),
    _c(
        "ending_reason",
        "code",
        "why the episode closed (closing reason); empty while open",
        "goals_reached, patient_choice, referred_elsewhere, dropped_out, other",
    ),
    _c("gp_consent", "code", "consent to inform the GP", "1 yes, 0 no, empty not recorded"),
)
SESSIONS = (
    _c("episode", "pseudonym", "the episode (episodes.csv)"),
    _c("session_number", "integer", "the session's number within the episode"),
    _c("day", "integer", DAY),
    _c("attendance", "code", "whether it took place", "attended, cancelled, no_show"),
    _c("duration_minutes", "integer", "length of an attended session; empty otherwise"),
    _c("education_minutes", "integer", "minutes of psychosomatic education"),
    _c("body_minutes", "integer", "minutes of body-oriented exercises"),
    _c("cognitive_minutes", "integer", "minutes of cognitive-behavioural approaches"),
    _c("activating_minutes", "integer", "minutes of activating therapy"),
)
PHQ15 = (
    _c("episode", "pseudonym", "the episode (episodes.csv)"),
    _c("administration", "integer", "1, 2, ... in the order of entry within the episode"),
    _c(
        "timepoint",
        "code",
        "when it was administered",
        "baseline, session, end_of_treatment, follow_up_4m, follow_up_12m, other",
    ),
    _c("session_number", "integer", "the session it was filled in at; empty otherwise"),
    _c("day", "integer", DAY),
    *(
        _c(column, "code", f"PHQ-15 item {n}: 0, 1 or 2; na = not applicable; empty = missing")
        for n, column in enumerate(ITEM_COLUMNS, start=1)
    ),
    _c("total", "integer", "total as scored by the app (DOMAIN.md §3); empty if incomplete"),
    _c(
        "rule",
        "code",
        "the scoring rule that gave the total",
        "complete, item4_not_applicable, prorated, incomplete",
    ),
    _c("band", "code", "severity band of the total", "minimal, low, medium, high"),
)
PSFS = (
    _c("episode", "pseudonym", "the episode (episodes.csv)"),
    _c("goal", "integer", "the goal's position 1-5 within the episode (its words are not given)"),
    _c("goal_status", "code", "the goal's status now", "active, achieved, dropped"),
    _c("occasion", "code", "when it was rated", "baseline, review, end"),
    _c("session_number", "integer", "the session it was rated in; empty otherwise"),
    _c("day", "integer", DAY),
    _c("score", "integer", "PSFS rating 0-10 (0 unable, 10 as before the problem)"),
)
CHECKINS = (
    _c("episode", "pseudonym", "the episode (episodes.csv)"),
    _c("session_number", "integer", "the session of the check-in"),
    _c("day", "integer", DAY),
    _c("bond", "integer", "'I felt heard and respected', 0-10"),
    _c("goals", "integer", "'We worked on what I wanted', 0-10"),
    _c("tasks", "integer", "'The approach fits me', 0-10"),
)
TABLES: dict[str, tuple[Column, ...]] = {
    "patients.csv": PATIENTS,
    "episodes.csv": EPISODES,
    "sessions.csv": SESSIONS,
    "phq15.csv": PHQ15,
    "psfs.csv": PSFS,
    "checkins.csv": CHECKINS,
}


def _month(day: date | None) -> str | None:
    return None if day is None else f"{day.year:04d}-{day.month:02d}"


def _code(value: Any) -> str | None:
    return None if value is None else str(value)


def _age(born: date, day: date) -> int:
    return day.year - born.year - int((day.month, day.day) < (born.month, born.day))


def patient_rows(record: PatientRecord, names: Pseudonymiser) -> Iterator[Row]:
    """The patient's one row: no name, address, BSN or birth date, only age at first intake."""
    patient = record.row
    first = min((e.row.started_on for e in record.episodes), default=None)
    yield (
        names.of("patient", patient.id),
        str(patient.sex),
        None if first is None else _age(patient.date_of_birth, first),
        str(patient.education_level),
        patient.symptom_intensity,
        ";".join(record.symptoms),
    )


def episode_rows(record: PatientRecord, names: Pseudonymiser) -> Iterator[Row]:
    """One row per episode; its free text (request for help, outcome...) is never written."""
    for episode in record.episodes:
        row = episode.row
        intake = row.started_on
        yield (
            names.of("episode", row.id),
            names.of("patient", row.patient_id),
            names.of("therapist", row.therapist_id),
            str(row.status),
            _month(row.started_on),
            _month(row.closed_on),
            day_number(row.referral_date, intake),
            None if row.closed_on is None else day_number(row.closed_on, intake),
            row.planned_sessions,
            _code(row.ending_reason),
            None if row.gp_consent is None else int(bool(row.gp_consent)),
        )


def _per_episode(
    build: Callable[[EpisodeRecord, str], Iterator[Row]],
) -> Callable[[PatientRecord, Pseudonymiser], Iterator[Row]]:
    def rows(record: PatientRecord, names: Pseudonymiser) -> Iterator[Row]:
        for episode in record.episodes:
            yield from build(episode, names.of("episode", episode.row.id))

    return rows


def _sessions(episode: EpisodeRecord, name: str) -> Iterator[Row]:
    intake = episode.row.started_on
    for s in episode.sessions:
        yield (
            name,
            s.number,
            day_number(s.held_on, intake),
            str(s.attendance),
            s.duration_minutes,
            s.education_minutes,
            s.body_minutes,
            s.cognitive_minutes,
            s.activating_minutes,
        )


def _phq15(episode: EpisodeRecord, name: str) -> Iterator[Row]:
    intake = episode.row.started_on
    numbers = {s.id: s.number for s in episode.sessions}
    for index, a in enumerate(sorted(episode.phq15, key=lambda row: row.id), start=1):
        items: list[Cell] = [getattr(a, column) for column in ITEM_COLUMNS]
        if a.item_04_not_applicable:
            items[3] = "na"
        yield (
            name,
            index,
            str(a.timepoint),
            numbers.get(a.session_id) if a.session_id else None,
            day_number(a.administered_on, intake),
            *items,
            a.total,
            str(a.rule),
            None if a.total is None else band_for(int(a.total)).value,
        )


def _psfs(episode: EpisodeRecord, name: str) -> Iterator[Row]:
    intake = episode.row.started_on
    numbers = {s.id: s.number for s in episode.sessions}
    for goal in episode.goals:
        for rating in episode.ratings.get(goal.id, []):
            yield (
                name,
                goal.position,
                str(goal.status),
                str(rating.occasion),
                numbers.get(rating.session_id) if rating.session_id else None,
                day_number(rating.rated_on, intake),
                rating.score,
            )


def _checkins(episode: EpisodeRecord, name: str) -> Iterator[Row]:
    intake = episode.row.started_on
    for s in episode.sessions:
        checkin = episode.checkins.get(s.id)
        if checkin is not None:
            yield (
                name,
                s.number,
                day_number(s.held_on, intake),
                checkin.bond,
                checkin.goals,
                checkin.tasks,
            )


ROWS: dict[str, Callable[[PatientRecord, Pseudonymiser], Iterator[Row]]] = {
    "patients.csv": patient_rows,
    "episodes.csv": episode_rows,
    "sessions.csv": _per_episode(_sessions),
    "phq15.csv": _per_episode(_phq15),
    "psfs.csv": _per_episode(_psfs),
    "checkins.csv": _per_episode(_checkins),
}
