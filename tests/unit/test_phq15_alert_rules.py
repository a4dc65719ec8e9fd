"""Alert rules on plain measurements: which comparison raises which alert (no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from therapy.models.enums import EpisodeStatus, Phq15Timepoint
from therapy.services.phq15.alerts import AlertKind, EpisodeFacts, alerts_from
from therapy.services.phq15.course import pick_baseline, pick_latest
from therapy.services.phq15.scoring import ChangeSettings

B, OTHER, END = Phq15Timepoint.BASELINE, Phq15Timepoint.OTHER, Phq15Timepoint.END_OF_TREATMENT
ACTIVE = EpisodeFacts(EpisodeStatus.ACTIVE, planned_sessions=9, attended_sessions=3)


@dataclass(frozen=True)
class M:
    id: int
    timepoint: Phq15Timepoint
    administered_on: date
    total: int | None


def series(*points: tuple[Phq15Timepoint, int | None]) -> list[M]:
    return [M(i + 1, tp, date(2026, 1, 1 + 7 * i), total) for i, (tp, total) in enumerate(points)]


def kinds(measurements: list[M], facts: EpisodeFacts = ACTIVE) -> list[AlertKind]:
    return [alert.kind for alert in alerts_from(measurements, facts, ChangeSettings())]


def messages(measurements: list[M]) -> list[str]:
    return [alert.message for alert in alerts_from(measurements, ACTIVE, ChangeSettings())]


def test_quiet_course_has_no_alert() -> None:
    assert kinds(series((B, 12), (OTHER, 11), (OTHER, 9))) == []


def test_deterioration_since_previous_when_not_since_baseline() -> None:
    # 12 -> 6 -> 11: +5 since the previous (reliable), -1 since baseline.
    assert messages(series((B, 12), (OTHER, 6), (OTHER, 11))) == [
        "Reliable deterioration since the previous PHQ-15: 6 → 11 (+5 points; reliable "
        "change is 5 or more)."
    ]


def test_four_points_is_not_reliable() -> None:
    assert kinds(series((B, 6), (OTHER, 10))) == []


def test_high_band_since_baseline_when_previous_was_already_high() -> None:
    # 12 -> 15 -> 16: the move into high happened earlier, so it is reported against baseline.
    assert messages(series((B, 12), (OTHER, 15), (OTHER, 16))) == [
        "Moved into the high band (15–30) since baseline: 12 → 16."
    ]


def test_staying_high_is_not_a_move() -> None:
    assert kinds(series((B, 20), (OTHER, 18))) == []


def test_incomplete_measurements_are_skipped() -> None:
    # The incomplete latest has no total: compare the last two totals, 10 -> 15.
    assert kinds(series((B, 10), (OTHER, 15), (OTHER, None))) == [
        AlertKind.RELIABLE_DETERIORATION,
        AlertKind.HIGH_BAND,
    ]


def test_incomplete_baseline_is_due_again() -> None:
    alerts = alerts_from(series((B, None), (OTHER, 12)), ACTIVE, ChangeSettings())
    assert [a.kind for a in alerts] == [AlertKind.BASELINE_DUE]
    assert "baseline is incomplete" in alerts[0].message


def test_baseline_due_only_once_a_session_is_held() -> None:
    before = EpisodeFacts(EpisodeStatus.INTAKE, 9, 0)
    assert kinds([], before) == []
    assert kinds([], ACTIVE) == [AlertKind.BASELINE_DUE]


def test_end_due_when_planned_sessions_are_held() -> None:
    done = EpisodeFacts(EpisodeStatus.ACTIVE, 6, 6)
    assert kinds(series((B, 12)), done) == [AlertKind.END_DUE]
    assert kinds(series((B, 12), (END, 8)), done) == []
    assert kinds(series((B, 12)), EpisodeFacts(EpisodeStatus.CLOSED, 6, 6)) == []


def test_an_incomplete_end_of_treatment_phq15_leaves_the_end_due() -> None:
    done = EpisodeFacts(EpisodeStatus.ACTIVE, 6, 6)
    [alert] = alerts_from(series((B, 12), (END, None)), done, ChangeSettings())
    assert alert.kind is AlertKind.END_DUE
    assert "the end-of-treatment PHQ-15 is incomplete" in alert.message
    assert kinds(series((B, 12), (END, None), (END, 8)), done) == []


def test_baseline_is_the_first_complete_baseline() -> None:
    measurements = series((OTHER, 9), (B, None), (B, 14), (OTHER, 10))
    assert pick_baseline(measurements).id == 3
    # The latest comes after the baseline; the earlier "other" never counts as latest.
    assert pick_latest(measurements, pick_baseline(measurements)).id == 4
    assert (
        pick_latest(series((OTHER, 9), (B, 14)), pick_baseline(series((OTHER, 9), (B, 14)))) is None
    )
