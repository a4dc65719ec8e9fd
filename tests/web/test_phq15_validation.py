"""Bad PHQ-15 input: a clear message, nothing saved, the answers kept, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests import figures
from tests.factories import make_episode, make_patient, make_session, make_user
from tests.web.phq15_forms import checked_value, field_value, post_phq15, practice_today
from therapy.extensions import db
from therapy.models import Phq15Administration
from therapy.models.enums import Sex

ANSWERS = "012n21012101210"


@pytest.fixture
def world(app, login):
    therapist = make_user()
    patient = make_patient(therapist, sex=Sex.MALE)
    episode = make_episode(patient)
    other_episode = make_episode(patient)
    session = make_session(episode, 1)
    foreign_session = make_session(other_episode, 1)
    db.session.commit()
    return login(therapist), episode, session, foreign_session


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Phq15Administration.id))) or 0


def _refused(response, message: str) -> str:
    assert response.status_code == 200, response.status_code
    page = response.text
    assert "Nothing has been saved yet" in page
    assert message in page, page[page.find("field__error") - 200 :][:800]
    assert _count() == 0
    return page


def _kept(page: str, codes: str = ANSWERS, skip: tuple[int, ...] = ()) -> None:
    """Every item still shows the answer that was posted."""
    values = {"0": "0", "1": "1", "2": "2", "n": "na", "x": ""}
    for number, code in enumerate(codes, start=1):
        if number not in skip:
            assert checked_value(page, f"item_{number:02d}") == values[code], number


def test_item_outside_0_to_2_is_refused(world) -> None:
    client, episode, _s, _f = world
    response = post_phq15(client, episode.patient_id, episode.id, ANSWERS, extra={"item_05": "3"})
    page = _refused(response, "Choose 0, 1 or 2 (or not applicable for item 4)")
    _kept(page, skip=(5,))


def test_not_applicable_on_another_item_is_refused(world) -> None:
    client, episode, _s, _f = world
    response = post_phq15(client, episode.patient_id, episode.id, ANSWERS, extra={"item_01": "na"})
    _kept(_refused(response, "Choose 0, 1 or 2"), skip=(1,))


def test_future_date_is_refused(world) -> None:
    client, episode, _s, _f = world
    tomorrow = practice_today() + timedelta(days=1)
    response = post_phq15(client, episode.patient_id, episode.id, ANSWERS, day=tomorrow)
    page = _refused(response, "The date cannot be in the future.")
    _kept(page)
    assert field_value(page, "administered_on") == tomorrow.isoformat()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("0001-01-01", "The date cannot be before 1900."),
        ("1899-12-31", "The date cannot be before 1900."),
        ("9999-12-31", "The date cannot be in the future."),
        ("99999-01-01", "Not a valid date value."),
        ("2024-02-30", "Not a valid date value."),
        ("\x00", "Enter the date it was filled in."),  # NUL is dropped on arrival
        ("", "Enter the date it was filled in."),
    ],
)
def test_dates_out_of_range(world, day: str, message: str) -> None:
    client, episode, _s, _f = world
    response = post_phq15(client, episode.patient_id, episode.id, ANSWERS, day=day)
    _kept(_refused(response, message))


def test_duplicate_timepoint_and_day_is_refused(world) -> None:
    client, episode, _s, _f = world
    assert post_phq15(client, episode.patient_id, episode.id, ANSWERS).status_code == 302
    response = post_phq15(client, episode.patient_id, episode.id, "111n11111111111")
    assert response.status_code == 200
    assert "A PHQ-15 for this timepoint is already recorded on this date." in response.text
    assert _count() == 1
    _kept(response.text, "111n11111111111")
    # Another timepoint on the same day is fine.
    end = post_phq15(client, episode.patient_id, episode.id, ANSWERS, timepoint="end_of_treatment")
    assert end.status_code == 302
    assert _count() == 2


def test_second_scored_baseline_is_refused_but_an_incomplete_one_may_be_redone(world) -> None:
    client, episode, _s, _f = world
    earlier = practice_today() - timedelta(days=14)
    # A man: item 4 blank is N/A, items 1-3 and 5 missing: 4 missing, incomplete, no total;
    # the baseline may be taken again.
    incomplete = post_phq15(client, episode.patient_id, episode.id, "xxxxx0000000000", day=earlier)
    assert incomplete.status_code == 302
    again = post_phq15(client, episode.patient_id, episode.id, ANSWERS, day=earlier + timedelta(1))
    assert again.status_code == 302
    third = post_phq15(client, episode.patient_id, episode.id, ANSWERS)
    assert third.status_code == 200
    assert "This episode already has a PHQ-15 with a total for this timepoint" in third.text
    assert _count() == 2
    # Sessions and "other" may be repeated as often as wanted (weekly measurement).
    for days in (3, 2, 1):
        day = practice_today() - timedelta(days=days)
        response = post_phq15(
            client,
            episode.patient_id,
            episode.id,
            ANSWERS,
            timepoint="other",
            note="weekly",
            day=day,
        )
        assert response.status_code == 302
    assert _count() == 5


def test_session_of_another_episode_is_refused(world) -> None:
    client, episode, _session, foreign = world
    response = post_phq15(
        client,
        episode.patient_id,
        episode.id,
        ANSWERS,
        timepoint="session",
        session_id=str(foreign.id),
    )
    _kept(_refused(response, "Choose one of this episode's sessions."))


def test_session_timepoint_needs_a_session(world) -> None:
    client, episode, _s, _f = world
    response = post_phq15(client, episode.patient_id, episode.id, ANSWERS, timepoint="session")
    _refused(response, "Choose the session it was filled in at.")


def test_session_timepoint_records_the_session(world) -> None:
    client, episode, session, _f = world
    response = post_phq15(
        client,
        episode.patient_id,
        episode.id,
        ANSWERS,
        timepoint="session",
        session_id=str(session.id),
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.scalar(select(Phq15Administration))
    assert stored.session_id == session.id
    page = client.get(f"/patients/{episode.patient_id}/episodes/{episode.id}/phq15").text
    assert "Session 1" in page


def test_a_session_is_ignored_for_other_timepoints(world) -> None:
    client, episode, session, _f = world
    response = post_phq15(
        client, episode.patient_id, episode.id, ANSWERS, session_id=str(session.id)
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Phq15Administration.session_id)) is None


def test_other_timepoint_needs_a_note(world) -> None:
    client, episode, _s, _f = world
    response = post_phq15(client, episode.patient_id, episode.id, ANSWERS, timepoint="other")
    _kept(_refused(response, "Say in a few words when it was taken."))


def test_note_too_long_is_refused_and_kept(world) -> None:
    client, episode, _s, _f = world
    note = "ä" * 121
    response = post_phq15(
        client, episode.patient_id, episode.id, ANSWERS, timepoint="other", note=note
    )
    page = _refused(response, "Field cannot be longer than 120 characters.")
    assert field_value(page, "timepoint_note") == note


def test_note_loses_control_characters_and_keeps_unicode(world) -> None:
    client, episode, _s, _f = world
    note = "bij verwijzing \x00\x1b— مرحبا"
    response = post_phq15(
        client, episode.patient_id, episode.id, ANSWERS, timepoint="other", note=note
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Phq15Administration.timepoint_note)) == (
        "bij verwijzing — مرحبا"
    )


@pytest.mark.parametrize(
    ("quick", "message"),
    [
        ("0121", "The quick entry has 4 of 15 answers."),
        ("0" * 16, "The quick entry has 16 of 15 answers."),
        ("n" + "0" * 14, "Only item 4 can be not applicable; item 1 cannot."),
        ("01230" + "0" * 10, "Character 4 is not a code"),
        ("0\x00121", "The quick entry has 4 of 15 answers."),  # NUL dropped, not counted
        ("9" * 60, "Character 1 is not a code"),
        ("0" * 61, "Field cannot be longer than 60 characters."),
    ],
)
def test_bad_quick_entry(world, quick: str, message: str) -> None:
    client, episode, _s, _f = world
    response = post_phq15(client, episode.patient_id, episode.id, ANSWERS, quick=quick)
    page = _refused(response, message)
    _kept(page)


def test_quick_entry_that_disagrees_with_a_choice_is_refused(world) -> None:
    client, episode, _s, _f = world
    # The radios say item 2 = 1 and item 3 = 2; the quick entry says 0 for both.
    response = post_phq15(client, episode.patient_id, episode.id, ANSWERS, quick="000n21012101210")
    _refused(response, "The quick entry and the choices below differ at item 2, 3.")


HOSTILE_VALUES = [
    "3",
    "-1",
    "99999999999999999999999999",
    "1e308",
    "\x003",  # NUL is dropped on arrival (a lone NUL is an unanswered item)
    "\x00 1",
    "<script>alert(1)</script>",
    "😀",
    " 1",
]


def test_never_a_500(world) -> None:
    client, episode, _s, _f = world
    submissions = 0
    for value in HOSTILE_VALUES:
        for field in ("item_01", "item_04", "timepoint", "session_id", "administered_on", "quick"):
            response = post_phq15(
                client, episode.patient_id, episode.id, ANSWERS, extra={field: value}
            )
            submissions += 1
            assert response.status_code in (200, 302), (field, value, response.status_code)
            assert "<script>alert(1)</script>" not in response.text
    # " 1" is not a choice either: every submission above was refused.
    assert _count() == 0
    from tests.web.test_fuzz import FUZZ_LINE

    figures.report_sum("fuzz", FUZZ_LINE, submissions=submissions, errors=0)
