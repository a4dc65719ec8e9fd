"""PHQ-15 scoring and change classification against hand-computed values (DOMAIN.md §3)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from therapy.services.phq15.scoring import (
    ITEMS,
    NOT_APPLICABLE,
    PANEL_LOINC,
    TOTAL_LOINC,
    Band,
    ChangeClass,
    ChangeSettings,
    ScoreRule,
    Sex,
    band_for,
    classify_change,
    moved_into_high_band,
    score,
)
from therapy.services.phq15.words import (
    ANSWER_LABELS,
    CHANGE_LABELS,
    COPYRIGHT,
    ITEM_NOTES,
    ITEM_TEXTS,
    STEM,
    band_label,
    change_sentence,
    score_description,
)

NA = NOT_APPLICABLE


def test_instrument_text_and_codes() -> None:
    assert [item.number for item in ITEMS] == list(range(1, 16))
    assert "past 4 weeks" in str(STEM)
    assert {value: str(label) for value, label in ANSWER_LABELS.items()} == {
        0: "Not bothered at all",
        1: "Bothered a little",
        2: "Bothered a lot",
    }
    assert (str(ITEM_TEXTS[1]), ITEMS[0].loinc) == ("Stomach pain", "69671-6")
    assert str(ITEM_TEXTS[4]) == "Menstrual cramps or other problems with your periods"
    assert (ITEMS[3].loinc, str(ITEM_NOTES[4])) == ("69674-0", "women only")
    assert [item.number for item in ITEMS if item.women_only] == [4] == list(ITEM_NOTES)
    assert sorted(ITEM_TEXTS) == list(range(1, 16))
    assert (ITEMS[4].loinc, ITEMS[13].loinc, ITEMS[14].loinc) == ("69717-7", "69731-8", "69732-6")
    assert len({item.loinc for item in ITEMS}) == 15
    assert (PANEL_LOINC, TOTAL_LOINC) == ("69728-4", "70273-8")
    assert "Pfizer" in str(COPYRIGHT) and "No permission required" in str(COPYRIGHT)


def test_all_twos_is_thirty_high_and_flagged() -> None:
    result = score([2] * 15)  # 15 x 2 = 30
    assert (result.total, result.rule, result.maximum) == (30, ScoreRule.COMPLETE, 30)
    assert result.band is Band.HIGH
    assert (result.bothered_a_lot, result.many_bothered_a_lot) == (15, True)
    assert score_description(result) == "Complete: sum of 15 items (0\u201330)"


def test_all_zeros_is_zero_minimal() -> None:
    result = score([0] * 15)
    assert (result.total, result.band, result.many_bothered_a_lot) == (0, Band.MINIMAL, False)


def test_man_without_item4_is_scored_out_of_28() -> None:
    # Item 4 becomes N/A; 14 items x 1 = 14 of 28, which is medium (10-14).
    result = score([1, 1, 1, None] + [1] * 11, sex=Sex.MALE)
    assert (result.total, result.maximum, result.rule) == (14, 28, ScoreRule.ITEM4_NOT_APPLICABLE)
    assert (result.answered, result.missing, result.not_applicable) == (14, 0, 1)
    assert result.band is Band.MEDIUM
    assert score_description(result) == "Item 4 not applicable: sum of 14 items, out of 28"


def test_man_with_an_explicit_item4_answer_keeps_it() -> None:
    result = score([0, 0, 0, 2] + [0] * 11, sex="male")  # stored value accepted as well
    assert (result.total, result.rule, result.not_applicable) == (2, ScoreRule.COMPLETE, 0)


def test_woman_without_item4_is_missing_not_na() -> None:
    # Missing, so prorated: 14 x 1 = 14 on 14 answered of 15 -> 14 x 15 / 14 = 15, high.
    result = score([1, 1, 1, None] + [1] * 11, sex=Sex.FEMALE)
    assert (result.total, result.rule, result.maximum) == (15, ScoreRule.PRORATED, 30)
    assert result.band is Band.HIGH


@pytest.mark.parametrize("sex", [Sex.FEMALE, Sex.OTHER, None])
def test_clinician_may_mark_item4_na_for_anyone(sex: Sex | None) -> None:
    result = score([1, 1, 1, NA] + [1] * 11, sex=sex)
    assert (result.total, result.maximum, result.rule) == (14, 28, ScoreRule.ITEM4_NOT_APPLICABLE)


def test_three_missing_are_prorated() -> None:
    # Items 1-3 missing; 3 twos and 9 ones = 15 on 12 answered: 15 x 15 / 12 = 18.75 -> 19.
    result = score([None, None, None, 2, 2, 2] + [1] * 9)
    assert (result.total, result.rule, result.raw_sum) == (19, ScoreRule.PRORATED, 15)
    assert (result.answered, result.missing, result.band) == (12, 3, Band.HIGH)
    assert result.many_bothered_a_lot is True  # exactly three actual 2s
    assert (
        score_description(result) == "Prorated: 3 items missing, 12 of 15 answered, rounded half up"
    )


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # 7 on 14 answered of 15: 7 x 15 / 14 = 7.5 -> 8.
        ([None] + [1] * 7 + [0] * 7, 8),
        # 2 on 12 answered: 2 x 15 / 12 = 2.5 -> 3 (float round() would give 2).
        ([None] * 3 + [1, 1] + [0] * 10, 3),
        # 10 on 12 answered: 10 x 15 / 12 = 12.5 -> 13 (float round() would give 12).
        ([None] * 3 + [1] * 10 + [0] * 2, 13),
    ],
)
def test_proration_rounds_half_up(answers: list[int | None], expected: int) -> None:
    assert score(answers).total == expected


def test_prorated_with_item4_na_says_both() -> None:
    # N/A item 4 and 2 missing: 9 on 12 answered of 14 applicable -> 9 x 14 / 12 = 10.5 -> 11.
    result = score([None, None, 0, NA] + [1] * 9 + [0] * 2)
    assert (result.total, result.rule, result.maximum) == (11, ScoreRule.PRORATED, 28)
    assert score_description(result) == (
        "Prorated: 2 items missing, 12 of 14 answered, rounded half up; "
        "item 4 not applicable, out of 28"
    )
    assert "1 item missing, 14 of 15" in score_description(score([None] + [1] * 14))


def test_four_missing_is_incomplete() -> None:
    result = score([None] * 4 + [2] * 3 + [1] * 8)
    assert (result.total, result.band, result.rule) == (None, None, ScoreRule.INCOMPLETE)
    assert (result.missing, result.raw_sum) == (4, 14)
    assert score_description(result) == "Incomplete: 4 items missing (more than 3), no total"
    # The flag counts answers actually given, so it still stands without a total.
    assert result.many_bothered_a_lot is True


@pytest.mark.parametrize(
    ("total", "band"),
    [
        *[(0, Band.MINIMAL), (4, Band.MINIMAL), (5, Band.LOW), (9, Band.LOW)],
        *[(10, Band.MEDIUM), (14, Band.MEDIUM), (15, Band.HIGH), (30, Band.HIGH)],
    ],
)
def test_band_edges(total: int, band: Band) -> None:
    assert band_for(total) is band
    # The same total reached by scoring: `total` ones, the rest zeros (for totals up to 15).
    if total <= 15:
        assert score([1] * total + [0] * (15 - total)).band is band


def test_band_words() -> None:
    assert [(band_label(b), b.range_text) for b in Band] == [
        ("Minimal", "0\u20134"),
        ("Low", "5\u20139"),
        ("Medium", "10\u201314"),
        ("High", "15\u201330"),
    ]


@pytest.mark.parametrize(("twos", "flag"), [(2, False), (3, True), (4, True)])
def test_flag_at_three_bothered_a_lot(twos: int, flag: bool) -> None:
    result = score([2] * twos + [0] * (15 - twos))
    assert (result.bothered_a_lot, result.many_bothered_a_lot) == (twos, flag)


@pytest.mark.parametrize(
    "answers",
    [
        [0] * 14,
        [0] * 16,
        [3] + [0] * 14,
        [-1] + [0] * 14,
        [True] + [0] * 14,
        [1.0] + [0] * 14,
        ["1"] + [0] * 14,
        [NA] + [0] * 14,  # only item 4 may be not applicable
        "0" * 15,
    ],
)
def test_invalid_answers_raise(answers: list[object]) -> None:
    with pytest.raises(ValueError):
        score(answers)  # type: ignore[arg-type]


def test_unknown_sex_raises() -> None:
    with pytest.raises(ValueError, match="unknown sex"):
        score([0] * 15, sex="m")


@pytest.mark.parametrize("total", [-1, 31, True, 4.0, None])
def test_band_for_rejects_non_totals(total: object) -> None:
    with pytest.raises(ValueError):
        band_for(total)  # type: ignore[arg-type]


# Change: defaults MCID 3, RC95 = 1.96 x sqrt(2) x 4.0 x sqrt(0.2) = 4.96 -> 5 points.
@pytest.mark.parametrize(
    ("difference", "expected"),
    [
        (-5, ChangeClass.RELIABLY_IMPROVED),
        (-4, ChangeClass.IMPROVED),
        (-3, ChangeClass.IMPROVED),
        (-2, ChangeClass.UNCHANGED),
        (0, ChangeClass.UNCHANGED),
        (2, ChangeClass.UNCHANGED),
        (3, ChangeClass.WORSENED),
        (4, ChangeClass.WORSENED),
        (5, ChangeClass.RELIABLY_DETERIORATED),
    ],
)
def test_change_classes_with_defaults(difference: int, expected: ChangeClass) -> None:
    change = classify_change(15, 15 + difference)
    assert (change.change_class, change.difference) == (expected, difference)


def test_recovered_needs_reliable_improvement_and_below_ten() -> None:
    recovered = classify_change(18, 9)
    assert (recovered.change_class, recovered.recovered) == (ChangeClass.RELIABLY_IMPROVED, True)
    assert change_sentence(recovered) == (
        "Reliably improved: 18 \u2192 9 (\u22129 points); recovered (now below 10)"
    )
    still_medium = classify_change(20, 14)  # -6 is reliable, but 14 is still medium
    assert (still_medium.change_class, still_medium.recovered) == (
        ChangeClass.RELIABLY_IMPROVED,
        False,
    )
    assert change_sentence(still_medium).endswith("not recovered (still 10 or above)")
    assert classify_change(14, 9).recovered is True  # -5 reaches RC and 9 < 10
    assert classify_change(12, 9).recovered is False  # below 10, but -3 is not reliable
    assert change_sentence(classify_change(10, 11)) == "Unchanged: 10 \u2192 11 (+1 point)"
    assert change_sentence(classify_change(10, 10)) == "Unchanged: 10 \u2192 10 (0 points)"


def test_reliable_change_from_settings() -> None:
    defaults = ChangeSettings()
    assert defaults.reliable_change == pytest.approx(4.958, abs=1e-3)
    assert defaults.reliable_change_points == 5
    # SD 5, alpha 0.8: 1.96 x 1.41421 x 5 x 0.44721 = 6.198 -> 7 points.
    wider = ChangeSettings(sd=5.0, alpha=0.80)
    assert wider.reliable_change == pytest.approx(6.198, abs=1e-3)
    assert wider.reliable_change_points == 7
    assert classify_change(20, 14, wider).change_class is ChangeClass.IMPROVED  # -6 < 7
    assert classify_change(20, 13, wider).change_class is ChangeClass.RELIABLY_IMPROVED
    # Meta-analysis alpha 0.81 with SD 4: 4.96 x sqrt(0.19 / 0.2) = 4.83 -> still 5 points.
    assert ChangeSettings(alpha=0.81).reliable_change_points == 5
    # An RC of exactly 5 (up to float noise) needs 5 points, not 6.
    exact = ChangeSettings(sd=5 / (1.96 * math.sqrt(2) * math.sqrt(0.2)))
    assert exact.reliable_change == pytest.approx(5.0)
    assert exact.reliable_change_points == 5


def test_reliable_change_wins_when_mcid_is_larger() -> None:
    settings = ChangeSettings(mcid=6)  # RC is still 5 points
    assert classify_change(15, 10, settings).change_class is ChangeClass.RELIABLY_IMPROVED
    assert classify_change(15, 11, settings).change_class is ChangeClass.UNCHANGED
    assert classify_change(10, 15, settings).change_class is ChangeClass.RELIABLY_DETERIORATED


def test_change_labels_are_plain_words() -> None:
    assert [str(CHANGE_LABELS[c]) for c in ChangeClass] == [
        "Reliably improved",
        "Improved",
        "Unchanged",
        "Worsened",
        "Reliably deteriorated",
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        *[{"sd": 0}, {"sd": -1.0}, {"sd": math.nan}, {"sd": math.inf}, {"sd": "4"}],
        *[{"alpha": 1.0}, {"alpha": -0.1}, {"alpha": math.nan}],
        *[{"mcid": 0}, {"mcid": 2.5}, {"mcid": True}],
    ],
)
def test_invalid_settings_raise(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        ChangeSettings(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("baseline", "latest"), [(31, 10), (10, -1), (None, 10), (10, 9.0)])
def test_classify_change_rejects_non_totals(baseline: object, latest: object) -> None:
    with pytest.raises(ValueError):
        classify_change(baseline, latest)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("previous", "latest", "moved"),
    [
        *[(14, 15, True), (4, 30, True), (15, 20, False), (10, 14, False), (20, 10, False)],
        *[(None, 20, False), (20, None, False)],
    ],
)
def test_moved_into_high_band(previous: int | None, latest: int | None, moved: bool) -> None:
    assert moved_into_high_band(previous, latest) is moved


# Property tests over every valid answer pattern.
_item = st.one_of(st.none(), st.integers(0, 2))
_answers = st.tuples(*[_item] * 3, st.one_of(_item, st.just(NA)), *[_item] * 11).map(list)
_sex = st.sampled_from([None, *Sex])


def _missing(answers: list[int | str | None], sex: Sex | None) -> int:
    """Missing items as the rule counts them: a man's unanswered item 4 is N/A."""
    return sum(a is None and not (i == 3 and sex is Sex.MALE) for i, a in enumerate(answers))


@given(_answers, _sex)
def test_total_stays_in_range_and_matches_rule(answers: list, sex: Sex | None) -> None:
    result = score(answers, sex)
    assert result.missing == _missing(answers, sex)
    assert (result.total is None) == (result.missing > 3)
    assert result.maximum == 2 * (15 - result.not_applicable)
    if result.total is None:
        assert result.band is None
        return
    assert 0 <= result.raw_sum <= result.total <= result.maximum
    assert result.band is band_for(result.total)
    # Independent oracle for proration: decimal arithmetic with explicit half-up rounding.
    applicable = 15 - result.not_applicable
    exact = Decimal(result.raw_sum * applicable) / Decimal(result.answered)
    assert result.total == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert result.many_bothered_a_lot == (answers.count(2) >= 3)


@given(_answers, _sex, st.integers(0, 14))
def test_answering_bothered_a_lot_never_lowers_the_total(
    answers: list, sex: Sex | None, index: int
) -> None:
    before = score(answers, sex)
    after = score([*answers[:index], 2, *answers[index + 1 :]], sex)
    if before.total is not None:
        assert after.total is not None and after.total >= before.total


@given(st.integers(0, 30), st.integers(0, 30))
def test_change_is_mirror_symmetric(baseline: int, latest: int) -> None:
    mirror = {
        ChangeClass.RELIABLY_IMPROVED: ChangeClass.RELIABLY_DETERIORATED,
        ChangeClass.IMPROVED: ChangeClass.WORSENED,
        ChangeClass.UNCHANGED: ChangeClass.UNCHANGED,
    }
    mirror |= {after: before for before, after in mirror.items()}
    forward, back = classify_change(baseline, latest), classify_change(latest, baseline)
    assert forward.difference == latest - baseline
    assert back.change_class is mirror[forward.change_class]


@given(st.floats(0.5, 20), st.floats(0, 0.99))
def test_reliable_change_points_is_the_smallest_whole_number_reaching_rc(
    sd: float, alpha: float
) -> None:
    settings = ChangeSettings(sd=sd, alpha=alpha)
    points = settings.reliable_change_points
    assert points >= settings.reliable_change - 1e-9
    assert points - 1 < settings.reliable_change or points == 1
