"""The 4P x SCEBS formulation: the grid, and entries added, edited and withdrawn with history."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select, update

from therapy.extensions import db
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import FormulationEntry, FormulationRevision, TherapySession, TreatmentEpisode
from therapy.models.enums import Attendance, FormulationFactor, ScebsDimension
from therapy.models.types import utcnow

MAX_ENTRY_LENGTH = 1000
T = TypeVar("T")

# Rows and columns in the order clinicians read them (DOMAIN.md §1).
DIMENSIONS: tuple[ScebsDimension, ...] = tuple(ScebsDimension)
FACTORS: tuple[FormulationFactor, ...] = tuple(FormulationFactor)

DIMENSION_LABELS = {
    ScebsDimension.SOMATIC: _l("Somatic"),
    ScebsDimension.COGNITIVE: _l("Cognitive"),
    ScebsDimension.EMOTIONAL: _l("Emotional"),
    ScebsDimension.BEHAVIOURAL: _l("Behavioural"),
    ScebsDimension.SOCIAL: _l("Social"),
}
FACTOR_LABELS = {
    FormulationFactor.PREDISPOSING: _l("Predisposing"),
    FormulationFactor.PRECIPITATING: _l("Precipitating"),
    FormulationFactor.PERPETUATING: _l("Perpetuating"),
    FormulationFactor.PROTECTIVE: _l("Protective"),
}
# The question each column answers (Bolton 2014), shown under the column heading.
FACTOR_QUESTIONS = {
    FormulationFactor.PREDISPOSING: _l("Why this person?"),
    FormulationFactor.PRECIPITATING: _l("Why now?"),
    FormulationFactor.PERPETUATING: _l("Why still?"),
    FormulationFactor.PROTECTIVE: _l("Why not worse?"),
}


class FormulationError(Exception):
    """A change to the formulation that cannot be made."""


class EpisodeClosedError(FormulationError):
    """A closed episode's formulation is read-only."""


class SessionNotInEpisodeError(FormulationError):
    """The session named for an entry is not one of the episode's that took place."""


class EntryWithdrawnError(FormulationError):
    """A withdrawn entry stays as history and is not edited any more."""


class StaleEntryError(FormulationError):
    """Someone saved the entry after this form was opened; nothing was overwritten."""

    def __init__(self, entry: FormulationEntry) -> None:
        super().__init__(f"formulation entry {entry.id} changed since it was opened")
        self.entry = entry


def grid_cells(
    items: Iterable[T], key: Callable[[T], tuple[str, str]]
) -> dict[tuple[ScebsDimension, FormulationFactor], list[T]]:
    """Sort items into the 5 x 4 cells (every cell present, possibly empty), keeping order."""
    cells: dict[tuple[ScebsDimension, FormulationFactor], list[T]] = {
        (dimension, factor): [] for dimension in DIMENSIONS for factor in FACTORS
    }
    for item in items:
        dimension, factor = key(item)
        cells[(ScebsDimension(dimension), FormulationFactor(factor))].append(item)
    return cells


def _check_open(episode: TreatmentEpisode) -> None:
    if episode.is_closed:
        raise EpisodeClosedError(f"episode {episode.id} is closed")


def _check_session(
    episode: TreatmentEpisode, session_id: int | None, kept: int | None = None
) -> None:
    """A session linked to an entry is one of this episode's own sessions that took place
    (a link made earlier, `kept`, may stay as it was)."""
    if session_id is None or session_id == kept:
        return
    found = db.session.scalar(
        select(TherapySession.id).where(
            TherapySession.id == session_id,
            TherapySession.episode_id == episode.id,
            TherapySession.attendance == Attendance.ATTENDED,
        )
    )
    if found is None:
        raise SessionNotInEpisodeError(f"session {session_id} is not in episode {episode.id}")


def add_entry(
    episode: TreatmentEpisode,
    *,
    dimension: ScebsDimension,
    factor: FormulationFactor,
    text: str,
    session_id: int | None,
    user_id: int,
) -> FormulationEntry:
    """Add a factor to one cell of the grid, remembering the session it came up in."""
    _check_open(episode)
    _check_session(episode, session_id)
    entry = FormulationEntry(
        episode_id=episode.id,
        dimension=ScebsDimension(dimension),
        factor=FormulationFactor(factor),
        text=text,
        session_id=session_id,
        created_by_id=user_id,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _swap_version(entry: FormulationEntry, expected_version: int, **values: object) -> None:
    """Compare-and-swap on the row version: bump it only if nobody else did since."""
    result = db.session.execute(
        update(FormulationEntry)
        .where(
            FormulationEntry.id == entry.id,
            FormulationEntry.version == expected_version,
            FormulationEntry.withdrawn_at.is_(None),
        )
        .values(version=FormulationEntry.version + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.refresh(entry)
        raise StaleEntryError(entry)


def _revision_of(entry: FormulationEntry, user_id: int, when: datetime) -> FormulationRevision:
    """The text the entry has now, to be kept when it is replaced or withdrawn."""
    return FormulationRevision(
        entry_id=entry.id,
        version=entry.version,
        text=entry.text,
        session_id=entry.session_id,
        edited_by_id=user_id,
        edited_at=when,
    )


def _check_editable(entry: FormulationEntry, expected_version: int) -> None:
    _check_open(entry.episode)
    if entry.withdrawn_at is not None:
        raise EntryWithdrawnError(f"formulation entry {entry.id} is withdrawn")
    if entry.version != expected_version:
        raise StaleEntryError(entry)


def edit_entry(
    entry: FormulationEntry,
    *,
    expected_version: int,
    text: str,
    session_id: int | None,
    user_id: int,
) -> bool:
    """Replace an entry's text (and session), keeping the old one; False if nothing changed."""
    _check_editable(entry, expected_version)
    _check_session(entry.episode, session_id, kept=entry.session_id)
    if text == entry.text and session_id == entry.session_id:
        return False
    when = utcnow()
    # Taken before the swap, which is what proves this was still the current text.
    revision = _revision_of(entry, user_id, when)
    _swap_version(entry, expected_version, text=text, session_id=session_id)
    db.session.add(revision)
    db.session.flush()
    db.session.refresh(entry)
    return True


def withdraw_entry(entry: FormulationEntry, *, expected_version: int, user_id: int) -> None:
    """Take an entry off the grid; it stays, with its history and who withdrew it."""
    _check_editable(entry, expected_version)
    when = utcnow()
    revision = _revision_of(entry, user_id, when)
    _swap_version(entry, expected_version, withdrawn_at=when)
    db.session.add(revision)
    db.session.flush()
    db.session.refresh(entry)


@dataclass(frozen=True)
class HistoryStep:
    """One text an entry had, who wrote it and when; or its withdrawal (text empty)."""

    version: int
    text: str
    session_id: int | None
    author_id: int
    at: datetime
    withdrawn: bool = False


def entry_history(entry: FormulationEntry) -> list[HistoryStep]:
    """Every version of an entry, oldest first, ending with its withdrawal if withdrawn.

    A revision keeps a text together with who replaced it and when, so the author of each
    version is whoever replaced the one before it (the creator for the first).
    """
    steps: list[HistoryStep] = []
    author, at = entry.created_by_id, entry.created_at
    for revision in entry.revisions:
        steps.append(HistoryStep(revision.version, revision.text, revision.session_id, author, at))
        author, at = revision.edited_by_id, revision.edited_at
    if entry.withdrawn_at is not None:
        steps.append(HistoryStep(entry.version, "", None, author, at, withdrawn=True))
    else:
        steps.append(HistoryStep(entry.version, entry.text, entry.session_id, author, at))
    return steps


def active_entries(entries: Sequence[FormulationEntry]) -> list[FormulationEntry]:
    """The entries on the grid: everything not withdrawn."""
    return [entry for entry in entries if entry.withdrawn_at is None]
