"""Recording and reading an episode's PHQ-15 administrations (operations flush, never commit)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from therapy.extensions import db
from therapy.i18n.labels import phq15_timepoint_text
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import Phq15Administration, Practice, TherapySession, TreatmentEpisode
from therapy.models.enums import AnswerSource, Phq15Rule, Phq15Timepoint, Sex
from therapy.models.phq15 import ITEM_COLUMNS
from therapy.services.phq15 import scoring as phq15
from therapy.services.phq15.scoring import ChangeSettings, Phq15Score

EARLIEST_DATE = date(1900, 1, 1)
NOTE_MAX_LENGTH = 120
# Control characters (NUL included: PostgreSQL refuses it) have no place in a one-line note.
_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")

Answer = int | str | None


class Phq15InputError(ValueError):
    """A PHQ-15 that cannot be saved; `field` names the form field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(str(message))
        self.field = field
        self.message = message


class DuplicateAdministrationError(Phq15InputError):
    """The episode already has a PHQ-15 for this timepoint on this day."""

    def __init__(self, existing_id: int | None) -> None:
        super().__init__(
            "administered_on",
            _l(
                "A PHQ-15 for this timepoint is already recorded on this date. Nothing has "
                "been saved; check the date and timepoint."
            ),
        )
        self.existing_id = existing_id


@dataclass(frozen=True)
class AdministrationResult:
    """One stored administration as the screens and documents show it."""

    id: int
    timepoint: Phq15Timepoint
    session_number: int | None
    timepoint_note: str
    administered_on: date
    answers: tuple[Answer, ...]
    total: int | None  # as stored when it was saved: the server's number
    rule: Phq15Rule  # as stored
    score: Phq15Score  # the stored answers scored again, for the counts and the wording
    source: AnswerSource = AnswerSource.THERAPIST_PAPER  # who answered (DOMAIN.md §9)
    voided_at: datetime | None = None  # voided by the therapist: shown, counted nowhere
    void_reason: str = ""

    @property
    def is_voided(self) -> bool:
        """True when the therapist voided it (it stays on the episode with its reason)."""
        return self.voided_at is not None

    @property
    def band(self) -> phq15.Band | None:
        """Severity band of the stored total; None when incomplete."""
        return None if self.total is None else phq15.band_for(self.total)

    @property
    def label(self) -> str:
        """When it was taken, in words: "Baseline", "Session 3", "Other: at referral"."""
        return phq15_timepoint_text(self.timepoint, self.session_number, self.timepoint_note)


_SETTINGS = (
    select(Practice.phq15_mcid, Practice.phq15_sd, Practice.phq15_alpha)
    .order_by(Practice.id)
    .limit(1)
)  # built once: every caseload page asks


def change_settings() -> ChangeSettings:
    """The practice's MCID, SD and alpha; the DOMAIN.md defaults until a practice row exists."""
    row = db.session.execute(_SETTINGS).first()
    if row is None:
        return ChangeSettings()
    return ChangeSettings(mcid=int(row[0]), sd=float(row[1]), alpha=float(row[2]))


def clean_note(text: str) -> str:
    """A one-line note without control characters or surrounding spaces."""
    return _CONTROL_CHARACTERS.sub("", text).strip()


def _check_date(administered_on: date, today: date) -> None:
    if administered_on < EARLIEST_DATE:
        raise Phq15InputError("administered_on", _l("The date cannot be before 1900."))
    if administered_on > today:
        raise Phq15InputError("administered_on", _l("The date cannot be in the future."))


def _check_session(episode_id: int, session_id: int | None) -> None:
    if session_id is None:
        raise Phq15InputError("session_id", _l("Choose the session it was filled in at."))
    found = db.session.scalar(
        select(TherapySession.id).where(
            TherapySession.id == session_id, TherapySession.episode_id == episode_id
        )
    )
    if found is None:
        raise Phq15InputError("session_id", _l("Choose one of this episode's sessions."))


def _existing_id(episode_id: int, timepoint: Phq15Timepoint, day: date) -> int | None:
    return db.session.scalar(
        select(Phq15Administration.id).where(
            Phq15Administration.episode_id == episode_id,
            Phq15Administration.timepoint == timepoint,
            Phq15Administration.administered_on == day,
            Phq15Administration.voided_at.is_(None),
        )
    )


# Timepoints that happen once per episode: a second one would make "the baseline" ambiguous.
ONCE_PER_EPISODE = frozenset(
    {
        Phq15Timepoint.BASELINE,
        Phq15Timepoint.END_OF_TREATMENT,
        Phq15Timepoint.FOLLOW_UP_4_MONTHS,
        Phq15Timepoint.FOLLOW_UP_12_MONTHS,
    }
)


def _check_once(episode_id: int, timepoint: Phq15Timepoint) -> None:
    """Refuse a second scored baseline, end or follow-up; an incomplete one may be redone."""
    if timepoint not in ONCE_PER_EPISODE:
        return
    scored_on = db.session.scalar(
        select(Phq15Administration.administered_on)
        .where(
            Phq15Administration.episode_id == episode_id,
            Phq15Administration.timepoint == timepoint,
            Phq15Administration.total.is_not(None),
            Phq15Administration.voided_at.is_(None),
        )
        .limit(1)
    )
    if scored_on is not None:
        raise Phq15InputError(
            "timepoint",
            _l(
                "This episode already has a PHQ-15 with a total for this timepoint (%(date)s). "
                "Choose another timepoint, such as “At a session” or “Other”.",
                date=format_date(scored_on),
            ),
        )


def record_administration(
    episode: TreatmentEpisode,
    sex: Sex | str,
    answers: Sequence[Answer],
    *,
    timepoint: Phq15Timepoint,
    administered_on: date,
    today: date,
    entered_by_id: int,
    session_id: int | None = None,
    timepoint_note: str = "",
    source: AnswerSource = AnswerSource.THERAPIST_PAPER,
) -> Phq15Administration:
    """Validate, score with the patient's sex and store one PHQ-15; raises Phq15InputError."""
    note = clean_note(timepoint_note)
    if len(note) > NOTE_MAX_LENGTH:
        raise Phq15InputError(
            "timepoint_note", _l("Keep the note to %(n)d characters.", n=NOTE_MAX_LENGTH)
        )
    if timepoint is Phq15Timepoint.OTHER and not note:
        raise Phq15InputError("timepoint_note", _l("Say in a few words when it was taken."))
    _check_date(administered_on, today)
    if timepoint is Phq15Timepoint.SESSION:
        _check_session(episode.id, session_id)
    else:
        session_id = None  # a session is only recorded for the "at a session" timepoint
    try:
        result = phq15.score(answers, Sex(sex).value)
    except ValueError as error:
        raise Phq15InputError(
            "answers", _l("The answers could not be read: %(e)s", e=error)
        ) from error
    existing = _existing_id(episode.id, timepoint, administered_on)
    if existing is not None:
        raise DuplicateAdministrationError(existing)
    _check_once(episode.id, timepoint)
    administration = Phq15Administration(
        episode_id=episode.id,
        timepoint=timepoint,
        session_id=session_id,
        timepoint_note=note,
        administered_on=administered_on,
        # The resolved N/A is stored, so re-scoring never depends on the patient's sex again.
        item_04_not_applicable=result.not_applicable == 1,
        total=result.total,
        rule=Phq15Rule(result.rule.value),
        entered_by_id=entered_by_id,
        source=source,
    )
    for column, answer in zip(ITEM_COLUMNS, answers, strict=True):
        setattr(administration, column, answer if isinstance(answer, int) else None)
    try:
        # A savepoint: a parallel save of the same timepoint and day loses cleanly.
        with db.session.begin_nested():
            db.session.add(administration)
    except IntegrityError as error:
        existing = _existing_id(episode.id, timepoint, administered_on)
        if existing is None:
            raise
        raise DuplicateAdministrationError(existing) from error
    return administration


def result_of(
    administration: Phq15Administration, session_number: int | None
) -> AdministrationResult:
    """The display form of one stored administration."""
    answers = tuple(administration.answers())
    return AdministrationResult(
        id=administration.id,
        timepoint=administration.timepoint,
        session_number=session_number,
        timepoint_note=administration.timepoint_note,
        administered_on=administration.administered_on,
        answers=answers,
        total=administration.total,
        rule=administration.rule,
        score=phq15.score(answers),
        source=administration.source,
        voided_at=administration.voided_at,
        void_reason=administration.void_reason,
    )


def episode_administrations(episode_id: int) -> list[AdministrationResult]:
    """Every administration of an episode in date order, scored, in one query (the voided
    ones too: callers that count leave them out, the episode shows them as voided)."""
    rows = db.session.execute(
        select(Phq15Administration, TherapySession.number)
        .outerjoin(TherapySession, TherapySession.id == Phq15Administration.session_id)
        .where(Phq15Administration.episode_id == episode_id)
        .order_by(Phq15Administration.administered_on, Phq15Administration.id)
    )
    return [result_of(administration, number) for administration, number in rows]


def session_number_of(administration: Phq15Administration) -> int | None:
    """The number of the session an administration was taken at, if any."""
    if administration.session_id is None:
        return None
    return db.session.scalar(
        select(TherapySession.number).where(TherapySession.id == administration.session_id)
    )
