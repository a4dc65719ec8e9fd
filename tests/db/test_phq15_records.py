"""The PHQ-15 services on the database: settings, duplicates, batch alerts in fixed queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.factories import make_episode, make_patient, make_session, make_user
from tests.phq15_factories import answers, make_phq15
from tests.queries import count_queries
from therapy.extensions import db
from therapy.i18n.locale import practice_language
from therapy.models import Phq15Administration, Practice
from therapy.models.enums import EpisodeStatus, Phq15Rule, Phq15Timepoint, Sex
from therapy.services.phq15 import records as phq15_records
from therapy.services.phq15.alerts import AlertKind, alerts_for_episodes, end_of_treatment_missing
from therapy.services.phq15.records import (
    DuplicateAdministrationError,
    Phq15InputError,
    change_settings,
    record_administration,
)
from therapy.services.phq15.scoring import ChangeSettings

TODAY = date(2026, 3, 1)


@pytest.fixture
def episode(app):
    return make_episode(make_patient(make_user(), sex=Sex.MALE))


def _count() -> int:
    return db.session.scalar(select(func.count(Phq15Administration.id))) or 0


def test_settings_default_without_a_practice_row(app) -> None:
    assert change_settings() == ChangeSettings(mcid=3, sd=4.0, alpha=0.80)


def test_settings_from_the_practice_row(app) -> None:
    db.session.add(Practice(name="P", phq15_sd=5.5, phq15_alpha=0.81, phq15_mcid=4))
    db.session.flush()
    settings = change_settings()
    assert (settings.mcid, settings.sd, settings.alpha) == (4, 5.5, 0.81)
    # 1.96 x 1.41421 x 5.5 x sqrt(0.19) = 6.645 -> 7 points.
    assert settings.reliable_change_points == 7


def test_a_man_is_scored_out_of_28_and_the_resolved_na_is_stored(episode) -> None:
    stored = record_administration(
        episode,
        Sex.MALE,
        answers("111x11111111111"),
        timepoint=Phq15Timepoint.BASELINE,
        administered_on=TODAY,
        today=TODAY,
        entered_by_id=episode.therapist_id,
    )
    assert (stored.total, stored.rule, stored.item_04_not_applicable) == (
        14,
        Phq15Rule.ITEM4_NOT_APPLICABLE,
        True,
    )
    assert stored.item_04 is None


def test_duplicate_is_refused_and_nothing_saved(episode) -> None:
    first = make_phq15(episode, "0" * 15, TODAY)
    with pytest.raises(DuplicateAdministrationError) as caught:
        make_phq15(episode, "1" * 15, TODAY)
    assert caught.value.existing_id == first.id
    assert caught.value.field == "administered_on"
    assert _count() == 1


def test_a_parallel_duplicate_loses_cleanly(episode, monkeypatch) -> None:
    # Another worker saved the same timepoint and day between our check and our insert.
    first = make_phq15(episode, "0" * 15, TODAY, Phq15Timepoint.OTHER)
    real = phq15_records._existing_id
    calls: list[tuple] = []

    def blind_first_check(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(phq15_records, "_existing_id", blind_first_check)
    with pytest.raises(DuplicateAdministrationError) as caught:
        make_phq15(episode, "1" * 15, TODAY, Phq15Timepoint.OTHER)
    # The unique index caught it, and the second look found the row that won.
    assert len(calls) == 2
    assert isinstance(caught.value.__cause__, IntegrityError)
    assert caught.value.existing_id == first.id
    # The savepoint kept the rest of the transaction usable.
    assert _count() == 1
    make_phq15(episode, "1" * 15, TODAY, Phq15Timepoint.END_OF_TREATMENT)
    assert _count() == 2


def test_once_per_episode_timepoints(episode) -> None:
    make_phq15(episode, "xxxxx0000000000", TODAY - timedelta(days=9))  # incomplete baseline
    make_phq15(episode, "0" * 15, TODAY - timedelta(days=8))  # redone: allowed
    with pytest.raises(Phq15InputError) as caught:
        make_phq15(episode, "0" * 15, TODAY)
    assert caught.value.field == "timepoint"
    make_phq15(episode, "0" * 15, TODAY, Phq15Timepoint.FOLLOW_UP_12_MONTHS)
    with pytest.raises(Phq15InputError):
        make_phq15(episode, "0" * 15, TODAY + timedelta(days=1), Phq15Timepoint.FOLLOW_UP_12_MONTHS)
    assert _count() == 3


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"administered_on": date(1899, 12, 31)}, "administered_on"),
        ({"administered_on": TODAY + timedelta(days=1)}, "administered_on"),
        ({"timepoint": Phq15Timepoint.SESSION}, "session_id"),
        ({"timepoint": Phq15Timepoint.SESSION, "session_id": 2**31 - 1}, "session_id"),
        ({"timepoint": Phq15Timepoint.OTHER}, "timepoint_note"),
        ({"timepoint": Phq15Timepoint.OTHER, "timepoint_note": "x" * 121}, "timepoint_note"),
        ({"answers": [3] + [0] * 14}, "answers"),
        ({"answers": [0] * 14}, "answers"),
    ],
)
def test_service_refuses_bad_input(episode, kwargs: dict, field: str) -> None:
    arguments = {
        "timepoint": Phq15Timepoint.BASELINE,
        "administered_on": TODAY,
        "today": TODAY,
        "entered_by_id": episode.therapist_id,
    }
    given = kwargs.pop("answers", [0] * 15)
    with pytest.raises(Phq15InputError) as caught:
        record_administration(episode, Sex.MALE, given, **(arguments | kwargs))
    assert caught.value.field == field
    assert _count() == 0


def _scenario(therapist, kind: int, start: date):
    """One of three episode shapes: deteriorated, baseline due, or quiet."""
    episode = make_episode(make_patient(therapist, sex=Sex.FEMALE), planned_sessions=9)
    if kind == 0:  # 10 -> 15: reliable deterioration and into the high band
        make_phq15(episode, "1" * 10 + "0" * 5, start)
        make_phq15(episode, "1" * 15, start + timedelta(days=28), Phq15Timepoint.OTHER)
    elif kind == 1:  # a session held, no baseline
        make_session(episode, 1)
    else:  # baseline 12, later 11: nothing to say
        make_phq15(episode, "1" * 12 + "000", start)
        make_phq15(episode, "1" * 11 + "0000", start + timedelta(days=28), Phq15Timepoint.OTHER)
        make_session(episode, 1)
    return episode


def _batch(count: int) -> tuple[int, dict]:
    therapist = make_user()
    start = date.today() - timedelta(days=60)
    episodes = [_scenario(therapist, index % 3, start) for index in range(count)]
    db.session.commit()
    ids = [episode.id for episode in episodes]
    practice_language()  # read once per context (a request has it from its login statement)
    with count_queries() as counter:
        alerts = alerts_for_episodes(ids)
    kinds = {eid: [alert.kind for alert in alerts[eid]] for eid in ids}
    for index, eid in enumerate(ids):
        expected = [
            [AlertKind.RELIABLE_DETERIORATION, AlertKind.HIGH_BAND],
            [AlertKind.BASELINE_DUE],
            [],
        ][index % 3]
        assert kinds[eid] == expected, (index, kinds[eid])
    return counter.count, alerts


def test_batch_alerts_run_a_fixed_number_of_queries(app) -> None:
    few, _ = _batch(3)
    many, alerts = _batch(30)
    assert few == many == 3, (few, many)
    assert len(alerts) == 30


def test_batch_alerts_of_nothing_runs_no_query(app) -> None:
    with count_queries() as counter:
        assert alerts_for_episodes([]) == {}
    assert counter.count == 0


def test_alert_messages_and_badges(app) -> None:
    therapist = make_user()
    episode = _scenario(therapist, 0, date(2026, 1, 5))
    db.session.commit()
    deterioration, high = alerts_for_episodes([episode.id])[episode.id]
    assert deterioration.message == (
        "Reliable deterioration since baseline: 10 → 15 (+5 points; reliable change is 5 or more)."
    )
    assert high.message == "Moved into the high band (15–30) since the previous PHQ-15: 10 → 15."
    assert (deterioration.badge, high.badge) == ("PHQ-15 worse", "PHQ-15 high")
    assert deterioration.is_clinical and high.is_clinical


def test_end_of_treatment_missing_for_the_closing_form(episode) -> None:
    make_phq15(episode, "0" * 15, TODAY)
    alert = end_of_treatment_missing(episode.id)
    assert alert is not None and alert.kind is AlertKind.END_DUE
    assert "No end-of-treatment PHQ-15 has been recorded" in alert.message
    # More than 3 items missing: no total, so no change to report yet.
    make_phq15(episode, "xxxxx0000000000", TODAY, Phq15Timepoint.END_OF_TREATMENT)
    alert = end_of_treatment_missing(episode.id)
    assert alert is not None and "end-of-treatment PHQ-15 of this episode is incomplete" in (
        alert.message
    )
    make_phq15(episode, "0" * 15, TODAY + timedelta(days=1), Phq15Timepoint.END_OF_TREATMENT)
    assert end_of_treatment_missing(episode.id) is None


def test_closed_episodes_get_no_due_reminders(episode) -> None:
    from therapy.models.enums import EndingReason

    make_session(episode, 1)
    episode.status = EpisodeStatus.CLOSED
    episode.closed_on = episode.started_on + timedelta(days=60)
    episode.ending_reason = EndingReason.DROPPED_OUT
    db.session.flush()
    assert alerts_for_episodes([episode.id]) == {episode.id: []}
