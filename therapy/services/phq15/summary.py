"""An episode's PHQ-15 at a glance: baseline, latest, change, alerts and the trajectory chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, inspect, select

from therapy.extensions import db
from therapy.i18n.labels import ANSWER_SOURCE_LABELS
from therapy.models import TherapySession, TreatmentEpisode
from therapy.models.enums import AnswerSource, Attendance
from therapy.services.phq15.alerts import EpisodeFacts, Phq15Alert, alerts_from
from therapy.services.phq15.chart import ChartPoint, render_trajectory_svg
from therapy.services.phq15.course import course_of, in_order
from therapy.services.phq15.records import (
    AdministrationResult,
    change_settings,
    episode_administrations,
)
from therapy.services.phq15.scoring import Band, Change, ChangeSettings


@dataclass(frozen=True)
class Phq15Summary:
    """Everything the PHQ-15 page, the episode page and the documents show about one episode."""

    patient_id: int
    episode_id: int
    administrations: list[AdministrationResult]  # the ones that count
    baseline: AdministrationResult | None
    latest: AdministrationResult | None
    change: Change | None
    no_change_reason: str  # why there is no change class, in words; empty when there is one
    alerts: list[Phq15Alert]
    settings: ChangeSettings
    # Patient answers the therapist voided: listed with their reason, counted nowhere.
    voided: list[AdministrationResult] = field(default_factory=list)

    @property
    def baseline_band(self) -> Band | None:
        """The band at baseline, shown prominently: high baseline burden benefits most."""
        return None if self.baseline is None else self.baseline.band

    @property
    def clinical_alerts(self) -> list[Phq15Alert]:
        """Deterioration and high-band alerts, without the reminders."""
        return [alert for alert in self.alerts if alert.is_clinical]


def _attended_sessions(episode: TreatmentEpisode) -> int:
    """Sessions that took place: counted from the episode's sessions when they are loaded."""
    if "sessions" not in inspect(episode).unloaded:
        return sum(1 for s in episode.sessions if s.attendance == Attendance.ATTENDED)
    return int(
        db.session.scalar(
            select(func.count(TherapySession.id)).where(
                TherapySession.episode_id == episode.id,
                TherapySession.attendance == Attendance.ATTENDED,
            )
        )
        or 0
    )


def summarise_episode(episode: TreatmentEpisode) -> Phq15Summary:
    """The PHQ-15 summary of an (already scoped) episode, in two queries, or three when the
    episode's sessions are not loaded (phq15_course rule)."""
    every = episode_administrations(episode.id)
    administrations = in_order([a for a in every if not a.is_voided])
    settings = change_settings()
    facts = EpisodeFacts(episode.status, episode.planned_sessions, _attended_sessions(episode))
    course = course_of(administrations, settings)
    return Phq15Summary(
        patient_id=episode.patient_id,
        episode_id=episode.id,
        administrations=administrations,
        baseline=course.baseline,
        latest=course.latest,
        change=course.change,
        no_change_reason=course.no_change_reason,
        alerts=alerts_from(administrations, facts, settings),
        settings=settings,
        voided=[a for a in every if a.is_voided],
    )


def trajectory_points(
    administrations: Sequence[AdministrationResult], baseline: AdministrationResult | None
) -> list[ChartPoint]:
    """Chart points in course order, each marked whether it is the course's baseline.

    Every point says True or False, so the chart never takes the earliest point as baseline;
    the order is the course's, so the chart's "latest" is the course's latest too.
    """
    baseline_id = baseline.id if baseline is not None else None
    return [
        ChartPoint(
            a.label,
            a.administered_on,
            a.total,
            is_baseline=a.id == baseline_id,
            answered_by=""
            if a.source is AnswerSource.THERAPIST_PAPER
            else str(ANSWER_SOURCE_LABELS[a.source]),
        )
        for a in in_order(administrations)
    ]


def trajectory_svg(
    summary: Phq15Summary, *, width: int = 640, height: int = 280, title: str = "PHQ-15 over time"
) -> str:
    """The trajectory chart as SVG markup, the same on screen and in the PDFs."""
    return render_trajectory_svg(
        trajectory_points(summary.administrations, summary.baseline),
        summary.settings,
        width=width,
        height=height,
        title=title,
    )
