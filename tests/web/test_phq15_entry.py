"""Answer vectors entered through the PHQ-15 form give DOMAIN.md §3's totals, rules and bands.

Every expected value below is worked out by hand in the comment beside it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_episode, make_patient, make_session, make_user
from tests.web.phq15_forms import (
    checked_value,
    index_url,
    new_url,
    post_phq15,
    practice_today,
    table_rows,
)
from therapy.extensions import db
from therapy.models import Phq15Administration
from therapy.models.enums import Phq15Rule, Sex

COMPLETE = "Complete: sum of 15 items (0–30)"
NA_RULE = "Item 4 not applicable: sum of 14 items, out of 28"


@pytest.fixture
def world(app, login):
    therapist = make_user()
    women = make_patient(therapist, sex=Sex.FEMALE)
    man = make_patient(therapist, sex=Sex.MALE)
    episodes = {Sex.FEMALE: make_episode(women), Sex.MALE: make_episode(man)}
    db.session.commit()
    client = login(therapist)
    return client, episodes


def _enter(world, sex: Sex, codes: str, **kwargs):
    client, episodes = world
    episode = episodes[sex]
    response = post_phq15(client, episode.patient_id, episode.id, codes, **kwargs)
    assert response.status_code == 302, response.text
    db.session.expire_all()
    stored = db.session.scalars(
        select(Phq15Administration).where(Phq15Administration.episode_id == episode.id)
    ).all()
    assert len(stored) == 1
    page = client.get(index_url(episode.patient_id, episode.id)).text
    (row,) = table_rows(page)
    return stored[0], row, page


CASES = [
    # Man, item 4 N/A: 14 ones = 14 of 28, medium (10-14).
    ("man_na", Sex.MALE, "111n11111111111", 14, Phq15Rule.ITEM4_NOT_APPLICABLE,
     "14 out of 28", "Medium 10–14", NA_RULE, "14 items"),
    # Man who leaves item 4 blank: N/A all the same, not missing -> 14 of 28.
    ("man_blank_item4", Sex.MALE, "111x11111111111", 14, Phq15Rule.ITEM4_NOT_APPLICABLE,
     "14 out of 28", "Medium 10–14", NA_RULE, "14 items"),
    # Man with three 2s: 6 + 11 = 17 of 28, high; 3 bothered a lot -> flag.
    ("man_flag", Sex.MALE, "222n11111111111", 17, Phq15Rule.ITEM4_NOT_APPLICABLE,
     "17 out of 28", "High 15–30", NA_RULE, "Flag: 3 items bothered a lot (3 or more)"),
    # Man who does answer item 4 (the pre-set N/A is editable): 15 ones = 15 of 30.
    ("man_answers_item4", Sex.MALE, "111111111111111", 15, Phq15Rule.COMPLETE,
     "15", "High 15–30", COMPLETE, "0 items"),
    # Woman with item 4 missing: prorated, 14 x 15 / 14 = 15, high.
    ("woman_item4_missing", Sex.FEMALE, "111x11111111111", 15, Phq15Rule.PRORATED,
     "15", "High 15–30", "Prorated: 1 item missing, 14 of 15 answered, rounded half up", ""),
    # Woman whose item 4 the clinician marks N/A: 14 of 28.
    ("woman_na", Sex.FEMALE, "111n11111111111", 14, Phq15Rule.ITEM4_NOT_APPLICABLE,
     "14 out of 28", "Medium 10–14", NA_RULE, ""),
    # 1 missing: 7 x 15 / 14 = 7.5 -> 8 (half up), low.
    ("half_up_7_5", Sex.FEMALE, "x11111110000000", 8, Phq15Rule.PRORATED,
     "8", "Low 5–9", "Prorated: 1 item missing, 14 of 15 answered, rounded half up", ""),
    # 3 missing: 2 x 15 / 12 = 2.5 -> 3 (half up, not half to even), minimal.
    ("three_missing_2_5", Sex.FEMALE, "xxx110000000000", 3, Phq15Rule.PRORATED,
     "3", "Minimal 0–4", "Prorated: 3 items missing, 12 of 15 answered, rounded half up", ""),
    # 3 missing: 10 x 15 / 12 = 12.5 -> 13, medium.
    ("three_missing_12_5", Sex.FEMALE, "xxx111111111100", 13, Phq15Rule.PRORATED,
     "13", "Medium 10–14", "Prorated: 3 items missing, 12 of 15 answered, rounded half up", ""),
    # Man, N/A and 2 missing: 9 x 14 / 12 = 10.5 -> 11 of 28, medium.
    ("man_na_two_missing", Sex.MALE, "xx0n11111111100", 11, Phq15Rule.PRORATED,
     "11 out of 28", "Medium 10–14",
     "Prorated: 2 items missing, 12 of 14 answered, rounded half up; item 4 not applicable, "
     "out of 28", ""),
    # 4 missing: no total, incomplete; the three 2s still raise the flag.
    ("four_missing", Sex.FEMALE, "xxxx22211111111", None, Phq15Rule.INCOMPLETE,
     "no total", "Incomplete", "Incomplete: 4 items missing (more than 3), no total",
     "Flag: 3 items bothered a lot (3 or more)"),
    # All 2s: 30, high, 15 bothered a lot.
    ("all_twos", Sex.FEMALE, "222222222222222", 30, Phq15Rule.COMPLETE,
     "30", "High 15–30", COMPLETE, "Flag: 15 items bothered a lot (3 or more)"),
    # Two 2s only: 4, minimal, no flag.
    ("two_twos", Sex.FEMALE, "220000000000000", 4, Phq15Rule.COMPLETE,
     "4", "Minimal 0–4", COMPLETE, "2 items"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("sex", "codes", "total", "rule", "total_text", "band", "description", "flag"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_answer_vectors(world, sex, codes, total, rule, total_text, band, description, flag):
    stored, row, _page = _enter(world, sex, codes)
    assert (stored.total, stored.rule) == (total, rule)
    # N/A is stored when chosen, and for a man's unanswered item 4.
    assert stored.item_04_not_applicable == (
        codes[3] == "n" or (sex is Sex.MALE and codes[3] == "x")
    )
    # The row reads: date, timepoint, total, band, rule, flag.
    assert f"Baseline (intake) baseline {total_text} {band} {description}" in row
    if flag:
        assert flag in row


@pytest.mark.parametrize(
    ("total", "band"),
    [(4, "Minimal 0–4"), (5, "Low 5–9"), (9, "Low 5–9"), (10, "Medium 10–14"),
     (14, "Medium 10–14"), (15, "High 15–30")],
)  # fmt: skip
def test_band_edges(world, total: int, band: str) -> None:
    # `total` ones and the rest zeros: a complete PHQ-15 adding up to exactly `total`.
    stored, row, _page = _enter(world, Sex.FEMALE, "1" * total + "0" * (15 - total))
    assert stored.total == total
    assert f" {total} {band} {COMPLETE}" in row


def test_raw_answers_are_kept(world) -> None:
    stored, _row, _page = _enter(world, Sex.MALE, "012n2x012012012")
    assert stored.answers() == [0, 1, 2, "na", 2, None, 0, 1, 2, 0, 1, 2, 0, 1, 2]
    client, episodes = world
    episode = episodes[Sex.MALE]
    page = client.get(f"{index_url(episode.patient_id, episode.id)}/{stored.id}").text
    assert "Not applicable" in page and "Not answered (missing)" in page
    assert "Bothered a lot" in page and "Feeling tired or having low energy" in page


def test_quick_entry_alone_works_without_javascript(world) -> None:
    # No radios chosen (as a browser without the script posts them: all "not answered"),
    # the digits only in the quick-entry box: 2+2+1+0+...: 2,2,1 then twelve 1s = 17.
    stored, row, _page = _enter(world, Sex.FEMALE, "x" * 15, quick="221 11111 11111 11")
    assert (stored.total, stored.rule) == (17, Phq15Rule.COMPLETE)
    assert stored.answers()[:4] == [2, 2, 1, 1]
    assert " 17 High 15–30 " in row


def test_form_presets_item4_for_men_only(world) -> None:
    client, episodes = world
    man, woman = episodes[Sex.MALE], episodes[Sex.FEMALE]
    man_form = client.get(new_url(man.patient_id, man.id)).text
    woman_form = client.get(new_url(woman.patient_id, woman.id)).text
    assert checked_value(man_form, "item_04") == "na"
    assert checked_value(woman_form, "item_04") == ""
    # Not applicable is offered for item 4 only.
    assert 'name="item_04" type="radio" value="na"' in man_form
    assert 'value="na"' not in man_form.replace('name="item_04" type="radio" value="na"', "")


def test_form_shows_the_instrument(world) -> None:
    client, episodes = world
    episode = episodes[Sex.FEMALE]
    page = client.get(new_url(episode.patient_id, episode.id)).text
    assert (
        "During the past 4 weeks, how much have you been bothered by any of the following "
        "problems?" in page
    )
    for text in (
        "Stomach pain",
        "Pain in your arms, legs, or joints (knees, hips, etc.)",
        "Menstrual cramps or other problems with your periods",
        "Constipation, loose bowels, or diarrhea",
        "Trouble sleeping",
        "Not bothered at all",
        "Bothered a little",
        "Bothered a lot",
        "PHQ-15 © Pfizer Inc.",
        "Provisional total",
    ):
        assert text in page, text
    assert 'src="/static/js/phq15.js"' in page
    assert f'value="{practice_today().isoformat()}"' in page


def _episode_with_sessions(world, sex: Sex = Sex.FEMALE):
    client, episodes = world
    episode = episodes[sex]
    sessions = [make_session(episode, number) for number in (1, 2, 3)]
    db.session.commit()
    return client, episode, sessions


def _two(world, baseline: str, later: str, *, practice=None):
    """Baseline two weeks ago, then a measurement at session 3 today; the results page."""
    client, episode, sessions = _episode_with_sessions(world)
    if practice is not None:
        db.session.add(practice)
        db.session.commit()
    first = post_phq15(
        client, episode.patient_id, episode.id, baseline, day=practice_today() - timedelta(14)
    )
    second = post_phq15(
        client,
        episode.patient_id,
        episode.id,
        later,
        timepoint="session",
        session_id=str(sessions[2].id),
    )
    assert (first.status_code, second.status_code) == (302, 302)
    return client.get(index_url(episode.patient_id, episode.id)).text


TEN = "1" * 10 + "0" * 5  # 10
FIFTEEN = "1" * 15  # 15
FOURTEEN = "1" * 14 + "0"  # 14
EIGHTEEN = "222" + "1" * 12  # 6 + 12 = 18
TWENTY = "22222" + "1" * 10  # 10 + 10 = 20
NINE = "1" * 9 + "0" * 6  # 9
TWELVE = "1" * 12 + "000"  # 12
EIGHT = "1" * 8 + "0" * 7  # 8


def test_reliable_deterioration_into_the_high_band(world) -> None:
    # 10 -> 15: +5 reaches RC95 (4.96 -> 5 points) and crosses into high (15-30).
    page = _two(world, TEN, FIFTEEN)
    assert "Reliably deteriorated: 10 → 15 (+5 points)" in page
    assert "PHQ-15 alert" in page
    assert "Reliable deterioration since baseline: 10 → 15 (+5 points" in page
    assert "Moved into the high band (15–30) since the previous PHQ-15: 10 → 15." in page


def test_worsened_is_not_an_alert(world) -> None:
    # 10 -> 14: +4 is at least the MCID (3) but below RC (5); still medium.
    page = _two(world, TEN, FOURTEEN)
    assert "Worsened: 10 → 14 (+4 points)" in page
    assert "PHQ-15 alert" not in page


def test_recovered(world) -> None:
    # 18 -> 9: -9 is reliable and 9 is below 10.
    page = _two(world, EIGHTEEN, NINE)
    assert "Reliably improved: 18 → 9 (−9 points); recovered (now below 10)" in page
    assert "PHQ-15 alert" not in page


def test_reliably_improved_but_not_recovered(world) -> None:
    # 20 -> 14: -6 is reliable, but 14 is still medium.
    page = _two(world, TWENTY, FOURTEEN)
    assert "Reliably improved: 20 → 14 (−6 points); not recovered (still 10 or above)" in page


def test_improved(world) -> None:
    # 12 -> 8: -4 reaches the MCID only.
    page = _two(world, TWELVE, EIGHT)
    assert "Improved: 12 → 8 (−4 points)" in page


def test_practice_settings_change_the_threshold(world) -> None:
    from therapy.models import Practice

    # SD 5, alpha 0.8: RC95 = 1.96 x 1.41421 x 5 x 0.44721 = 6.198 -> 7 points, so the
    # -6 that is reliable with the defaults is only "improved" here.
    page = _two(world, TWENTY, FOURTEEN, practice=Practice(name="P", phq15_sd=5.0))
    assert "Improved: 20 → 14 (−6 points)" in page
    assert "Reliably: 7 points or more" in page
