"""The PHQ-15 baseline, latest and change: the PDFs, the chart and the screen use one rule."""

from __future__ import annotations

import html
from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import make_episode, make_patient, make_session, make_user
from tests.phq15_factories import make_phq15
from tests.web.pdf_text import page_texts
from therapy.extensions import db
from therapy.models import Document
from therapy.models.enums import Phq15Timepoint as T
from therapy.models.enums import Sex

AUG, SEP, OCT, NOV = date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)


@pytest.fixture
def mine(app, login):
    therapist = make_user()
    episode = make_episode(make_patient(therapist, sex=Sex.FEMALE), gp_consent=True)
    db.session.commit()
    return login(therapist), episode


def _pdf_text(client, episode, kind: str) -> str:
    base = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents"
    token = csrf_token_from(client.get(base).text)
    assert client.post(f"{base}/new", data={"csrf_token": token, "kind": kind}).status_code == 302
    document = db.session.scalars(select(Document).where(Document.kind == kind)).one()
    response = client.get(f"{base}/{document.id}/pdf")
    assert response.status_code == 200
    return " ".join(page_texts(response.data))


def _screen(client, episode) -> str:
    page = client.get(f"/patients/{episode.patient_id}/episodes/{episode.id}/phq15")
    assert page.status_code == 200
    return html.unescape(page.text)


def _everywhere(client, episode) -> tuple[str, str, str]:
    db.session.commit()
    return (
        _pdf_text(client, episode, "treatment_report"),
        _pdf_text(client, episode, "gp_letter"),
        _screen(client, episode),
    )


def test_a_result_before_the_baseline_is_neither_baseline_nor_latest(mine):
    client, episode = mine
    make_phq15(episode, "222222222 111111", AUG, T.OTHER, note="at referral")  # 24
    make_phq15(episode, "111111111 111111", SEP, T.BASELINE)  # 15
    report, letter, screen = _everywhere(client, episode)
    only = "Only the baseline PHQ-15 has been measured so far, so there is no change yet."
    for text in (report, letter, screen):
        assert only in text
        assert "deteriorated" not in text and "15 → 24" not in text
    assert "Baseline: 15 / 30, high" in report
    # The chart marks the recorded baseline, not the earliest point.
    for text in (report, screen):
        assert "Baseline 15" in text and "Baseline 24" not in text


def test_an_incomplete_baseline_gives_no_change_and_no_stand_in(mine):
    client, episode = mine
    session = make_session(episode, 3)
    make_phq15(episode, "xxxx11111111111", SEP, T.BASELINE)  # more than 3 missing
    make_phq15(episode, "111111111111111", OCT, T.SESSION, session_id=session.id)  # 15
    make_phq15(episode, "110000000000000", NOV, T.END_OF_TREATMENT)  # 2
    report, letter, screen = _everywhere(client, episode)
    reason = "The baseline PHQ-15 is incomplete (more than 3 items missing)"
    for text in (report, letter, screen):
        assert reason in text
        assert "Reliably improved:" not in text and "15 → 2" not in text
    assert "Baseline: 15" not in report and "Baseline: no baseline PHQ-15 with a total" in report
    assert "latest (End of treatment): 2 / 30, minimal" in report


def test_end_of_treatment_wins_a_same_day_tie_with_a_session(mine):
    client, episode = mine
    session = make_session(episode, 9)
    make_phq15(episode, "222222222222222", SEP, T.BASELINE)  # 30
    # Entered first, so an order by row id alone would pick the session measurement.
    make_phq15(episode, "000000000000000", NOV, T.END_OF_TREATMENT)  # 0
    make_phq15(episode, "111111111111111", NOV, T.SESSION, session_id=session.id)  # 15
    report, letter, screen = _everywhere(client, episode)
    for text in (report, screen):
        assert "Reliably improved: 30 → 0 (−30 points); recovered (now below 10)" in text
    # The letter's table shows both totals; its change column says only the change.
    assert "30 / 30 (high) 0 / 30 (minimal) Reliably improved (−30 points); recovered" in letter
    for text in (report, letter, screen):
        assert "30 → 15" not in text
    assert "latest (End of treatment): 0 / 30, minimal" in report


def test_without_a_baseline_there_is_no_baseline_and_no_change_class(mine):
    client, episode = mine
    session = make_session(episode, 1)
    make_phq15(episode, "222222222222222", SEP, T.SESSION, session_id=session.id)  # 30
    make_phq15(episode, "000000000000000", NOV, T.END_OF_TREATMENT)  # 0
    report, letter, screen = _everywhere(client, episode)
    reason = "No baseline PHQ-15 has been recorded, so change cannot be judged."
    for text in (report, letter, screen):
        assert reason in text
        assert "30 → 0" not in text and "Reliably improved:" not in text
    assert "Baseline: no baseline PHQ-15 with a total" in report
    assert "Baseline 30" not in report and "Baseline 30" not in screen


def test_stored_answers_are_printed_as_scored_whatever_the_sex_says_today(mine):
    client, episode = mine
    # A woman's questionnaire with item 4 unanswered: 11 points on 14 of 15 items -> 11.8 -> 12.
    make_phq15(episode, "111x11111111000", SEP, T.BASELINE)
    db.session.commit()
    episode.patient.sex = Sex.MALE  # corrected later; her stored result does not change
    report, letter, screen = _everywhere(client, episode)
    assert "12 / 30" in report and "Baseline: 12 / 30, medium" in report
    assert "12 / 30 (medium)" in letter
    assert "Prorated: 1 item missing, 14 of 15 answered, rounded half up" in report
    assert "Item 4 not applicable" not in report and "/ 28" not in report
    assert "Prorated: 1 item missing" in screen
