"""PHQ-15 alerts: reliable deterioration, a move into the high band, and a PHQ-15 that is due."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import BindParameter, Select, bindparam, func, select

from therapy.extensions import db
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import Phq15Administration, TherapySession, TreatmentEpisode
from therapy.models.enums import Attendance, EpisodeStatus, Phq15Timepoint
from therapy.services.phq15.course import Measurement, order_key, pick_baseline
from therapy.services.phq15.records import change_settings
from therapy.services.phq15.scoring import (
    Band,
    ChangeClass,
    ChangeSettings,
    classify_change,
    moved_into_high_band,
)


@dataclass(frozen=True)
class Measured:
    """A measurement read straight from the table, without the ORM object."""

    id: int
    timepoint: Phq15Timepoint
    administered_on: date
    total: int | None


class AlertKind(StrEnum):
    """What an alert is about; deterioration and high band are clinical, the others practical."""

    RELIABLE_DETERIORATION = "reliable_deterioration"
    HIGH_BAND = "high_band"
    BASELINE_DUE = "baseline_due"
    END_DUE = "end_due"


_BADGES = {
    AlertKind.RELIABLE_DETERIORATION: _l("PHQ-15 worse"),
    AlertKind.HIGH_BAND: _l("PHQ-15 high"),
    AlertKind.BASELINE_DUE: _l("PHQ-15 baseline due"),
    AlertKind.END_DUE: _l("PHQ-15 end due"),
}


@dataclass(frozen=True)
class Phq15Alert:
    """One alert with its message in words and, for clinical alerts, the totals compared."""

    kind: AlertKind
    message: str
    earlier: int | None = None
    latest: int | None = None

    @property
    def badge(self) -> str:
        """A short label for the caseload badge."""
        return str(_BADGES[self.kind])

    @property
    def is_clinical(self) -> bool:
        """True for a change in the patient's scores, False for a reminder that one is due."""
        return self.kind in (AlertKind.RELIABLE_DETERIORATION, AlertKind.HIGH_BAND)


@dataclass(frozen=True)
class EpisodeFacts:
    """The parts of an episode that decide whether a PHQ-15 is due."""

    status: EpisodeStatus
    planned_sessions: int
    attended_sessions: int


def _deterioration(
    baseline: Measurement | None,
    previous: Measurement | None,
    latest: Measurement,
    settings: ChangeSettings,
) -> Phq15Alert | None:
    """Reliable deterioration since baseline, else since the previous measurement."""
    for earlier, since in ((baseline, _l("baseline")), (previous, _l("the previous PHQ-15"))):
        if earlier is None or earlier.total is None or order_key(earlier) >= order_key(latest):
            continue
        change = classify_change(earlier.total, latest.total or 0, settings)
        if change.change_class is ChangeClass.RELIABLY_DETERIORATED:
            message = _l(
                "Reliable deterioration since %(since)s: %(earlier)d \u2192 %(latest)d "
                "(+%(points)d points; reliable change is %(rc)d or more).",
                since=since,
                earlier=earlier.total,
                latest=latest.total,
                points=change.difference,
                rc=settings.reliable_change_points,
            )
            return Phq15Alert(
                AlertKind.RELIABLE_DETERIORATION, str(message), earlier.total, latest.total
            )
    return None


def _high_band(
    baseline: Measurement | None, previous: Measurement | None, latest: Measurement
) -> Phq15Alert | None:
    """A move into the high band since the previous measurement, else since baseline."""
    for earlier, since in ((previous, _l("the previous PHQ-15")), (baseline, _l("baseline"))):
        if earlier is None or order_key(earlier) >= order_key(latest):
            continue
        if moved_into_high_band(earlier.total, latest.total):
            message = _l(
                "Moved into the high band (%(range)s) since %(since)s: %(earlier)d \u2192 "
                "%(latest)d.",
                range=Band.HIGH.range_text,
                since=since,
                earlier=earlier.total,
                latest=latest.total,
            )
            return Phq15Alert(AlertKind.HIGH_BAND, str(message), earlier.total, latest.total)
    return None


def _due(
    measurements: Sequence[Measurement], baseline: Measurement | None, facts: EpisodeFacts
) -> list[Phq15Alert]:
    """Reminders for an open episode: no usable baseline by the first session; none at the end."""
    if facts.status is EpisodeStatus.CLOSED:
        return []  # closing has its own check: see end_of_treatment_missing()
    alerts = []
    if facts.attended_sessions >= 1 and (baseline is None or baseline.total is None):
        message = (
            _l("PHQ-15 due: the baseline is incomplete (more than 3 items missing).")
            if baseline is not None
            else _l("PHQ-15 due: no baseline has been recorded, and treatment has started.")
        )
        alerts.append(Phq15Alert(AlertKind.BASELINE_DUE, str(message)))
    # Only an end-of-treatment PHQ-15 with a total gives the change the documents report.
    ends = [m for m in measurements if m.timepoint is Phq15Timepoint.END_OF_TREATMENT]
    if facts.attended_sessions >= facts.planned_sessions and not _any_scored(ends):
        message = (
            _l(
                "PHQ-15 due: %(held)d of %(planned)d planned sessions held and the "
                "end-of-treatment PHQ-15 is incomplete (more than 3 items missing).",
                held=facts.attended_sessions,
                planned=facts.planned_sessions,
            )
            if ends
            else _l(
                "PHQ-15 due: %(held)d of %(planned)d planned sessions held and no "
                "end-of-treatment PHQ-15 yet.",
                held=facts.attended_sessions,
                planned=facts.planned_sessions,
            )
        )
        alerts.append(Phq15Alert(AlertKind.END_DUE, str(message)))
    return alerts


def _any_scored(measurements: Sequence[Measurement]) -> bool:
    return any(m.total is not None for m in measurements)


def alerts_from(
    measurements: Sequence[Measurement], facts: EpisodeFacts, settings: ChangeSettings
) -> list[Phq15Alert]:
    """Every alert for one episode, clinical ones first; pure, so both paths share it."""
    baseline = pick_baseline(measurements)
    scored = sorted((m for m in measurements if m.total is not None), key=order_key)
    alerts: list[Phq15Alert] = []
    if scored:
        latest = scored[-1]
        previous = scored[-2] if len(scored) > 1 else None
        usable_baseline = baseline if baseline is not None and baseline.total is not None else None
        for alert in (
            _deterioration(usable_baseline, previous, latest, settings),
            _high_band(usable_baseline, previous, latest),
        ):
            if alert is not None:
                alerts.append(alert)
    return alerts + _due(measurements, baseline, facts)


# Built once, with the ids as an expanding parameter (the caseload runs them on every page).
_EPISODES: BindParameter[list[int]] = bindparam("episode_ids", expanding=True)


def _facts_statement() -> Select[tuple[int, EpisodeStatus, int, int]]:
    attended = (
        select(TherapySession.episode_id, func.count().label("held"))
        .where(
            TherapySession.episode_id.in_(_EPISODES),
            TherapySession.attendance == Attendance.ATTENDED,
        )
        .group_by(TherapySession.episode_id)
        .subquery()
    )
    return (
        select(
            TreatmentEpisode.id,
            TreatmentEpisode.status,
            TreatmentEpisode.planned_sessions,
            func.coalesce(attended.c.held, 0),
        )
        .outerjoin(attended, attended.c.episode_id == TreatmentEpisode.id)
        .where(TreatmentEpisode.id.in_(_EPISODES))
    )


_FACTS = _facts_statement()
_MEASUREMENTS = select(
    Phq15Administration.episode_id,
    Phq15Administration.id,
    Phq15Administration.timepoint,
    Phq15Administration.administered_on,
    Phq15Administration.total,
).where(
    Phq15Administration.episode_id.in_(_EPISODES),
    # A voided PHQ-15 (issue 13) raises and silences no alert.
    Phq15Administration.voided_at.is_(None),
)


def _facts(episode_ids: list[int]) -> dict[int, EpisodeFacts]:
    """Status, planned and attended sessions per episode, in one query."""
    rows = db.session.execute(_FACTS, {"episode_ids": episode_ids})
    return {row[0]: EpisodeFacts(row[1], int(row[2]), int(row[3])) for row in rows}


def measurements_of(episode_ids: list[int]) -> dict[int, list[Measured]]:
    """The timepoint, date and total of every administration per episode, in one query."""
    rows = db.session.execute(_MEASUREMENTS, {"episode_ids": episode_ids})
    grouped: dict[int, list[Measured]] = defaultdict(list)
    for episode_id, *fields in rows:
        grouped[episode_id].append(Measured(*fields))
    return grouped


def alerts_for_episodes(
    episode_ids: Iterable[int],
    *,
    facts: Mapping[int, EpisodeFacts] | None = None,
    measurements: Mapping[int, list[Measured]] | None = None,
) -> dict[int, list[Phq15Alert]]:
    """Alerts for many episodes in three queries, whatever their number; fewer when the
    caller already has the episodes' facts or measurements (the caseload has both).

    The ids must come from an already scoped query (the caseload): this function does not
    check who is asking.
    """
    ids = sorted(set(episode_ids))
    if not ids:
        return {}
    settings = change_settings()
    facts = _facts(ids) if facts is None else facts
    measurements = measurements_of(ids) if measurements is None else measurements
    return {
        episode_id: alerts_from(measurements.get(episode_id, []), facts[episode_id], settings)
        for episode_id in ids
        if episode_id in facts
    }


def end_of_treatment_missing(episode_id: int) -> Phq15Alert | None:
    """For the closing form: an alert when the episode has no scored end-of-treatment PHQ-15."""
    totals = list(
        db.session.scalars(
            select(Phq15Administration.total).where(
                Phq15Administration.episode_id == episode_id,
                Phq15Administration.timepoint == Phq15Timepoint.END_OF_TREATMENT,
                Phq15Administration.voided_at.is_(None),
            )
        )
    )
    if any(total is not None for total in totals):
        return None
    message = (
        _l(
            "The end-of-treatment PHQ-15 of this episode is incomplete (more than 3 items "
            "missing). Record a complete one before closing, so the report and the GP letter "
            "can show the change since baseline."
        )
        if totals
        else _l(
            "No end-of-treatment PHQ-15 has been recorded for this episode. Record one before "
            "closing, so the report and the GP letter can show the change since baseline."
        )
    )
    return Phq15Alert(AlertKind.END_DUE, str(message))
