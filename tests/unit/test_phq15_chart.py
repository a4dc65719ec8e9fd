"""The PHQ-15 trajectory SVG: well-formed, self-contained, escaped and readable without colour."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from therapy.services.phq15.chart import ChartPoint, render_trajectory_svg
from therapy.services.phq15.scoring import ChangeSettings

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script>"
POINTS = [
    ChartPoint("Intake", date(2025, 1, 14), 18),
    ChartPoint("Session 4", date(2025, 2, 11), 14),
    ChartPoint("Session 6", date(2025, 3, 4), None),
    ChartPoint("End", date(2025, 4, 1), 9),
]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is well-formed
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def markers(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "point"]


def test_parses_with_accessible_name_and_description() -> None:
    root = parse(render_trajectory_svg(POINTS, title="PHQ-15, Mrs A"))
    assert root.get("role") == "img"
    assert root.findtext(f"{SVG}title") == "PHQ-15, Mrs A"
    desc = root.findtext(f"{SVG}desc") or ""
    assert "Intake (baseline), 14 January 2025: 18, high." in desc
    assert "Session 6, 4 March 2025: incomplete, no total." in desc
    assert "Reliably improved: 18 \u2192 9 (\u22129 points); recovered (now below 10)" in desc


def test_bands_are_named_in_words() -> None:
    labels = texts(parse(render_trajectory_svg(POINTS)))
    for band in (
        "Minimal (0\u20134)",
        "Low (5\u20139)",
        "Medium (10\u201314)",
        "High (15\u201330)",
    ):
        assert band in labels


def test_one_marker_per_point_with_baseline_and_incomplete_kinds() -> None:
    root = parse(render_trajectory_svg(POINTS))
    kinds = [g.get("data-kind") for g in markers(root)]
    assert kinds == ["baseline", "scored", "incomplete", "scored"]
    assert "Baseline 18" in texts(root)
    assert "incomplete" in texts(root)
    # The line joins the three scored points only.
    (polyline,) = root.iter(f"{SVG}polyline")
    assert len((polyline.get("points") or "").split()) == 3


def test_points_are_drawn_in_date_order() -> None:
    shuffled = [POINTS[2], POINTS[3], POINTS[0], POINTS[1]]
    assert render_trajectory_svg(shuffled) == render_trajectory_svg(POINTS)
    root = parse(render_trajectory_svg(shuffled))
    assert markers(root)[0].get("data-kind") == "baseline"


def test_thresholds_relative_to_baseline() -> None:
    # Baseline 18: MCID lines at 15 and 21, reliable change (5 points) at 13 and 23.
    labels = texts(parse(render_trajectory_svg(POINTS)))
    for label in (
        "MCID (\u22123)",
        "Reliable change (\u22125)",
        "MCID (+3)",
        "Reliable change (+5)",
    ):
        assert label in labels
    # Baseline 28: the + side (31, 33) is off the 0-30 axis and left out.
    high = texts(parse(render_trajectory_svg([ChartPoint("Intake", date(2025, 1, 1), 28)])))
    assert "MCID (\u22123)" in high and "MCID (+3)" not in high
    # Other settings: SD 5 gives 7 points.
    wider = texts(parse(render_trajectory_svg(POINTS, ChangeSettings(sd=5.0))))
    assert "Reliable change (\u22127)" in wider


def test_incomplete_baseline_draws_no_thresholds() -> None:
    points = [ChartPoint("Intake", date(2025, 1, 1), None), ChartPoint("End", date(2025, 3, 1), 9)]
    root = parse(render_trajectory_svg(points))
    assert not any("MCID" in text for text in texts(root))
    assert "baseline is incomplete" in (root.findtext(f"{SVG}desc") or "")


def test_user_text_is_escaped() -> None:
    points = [
        ChartPoint(HOSTILE, date(2025, 1, 1), 12),
        ChartPoint("a\x00b & c", date(2025, 2, 1), 8),
    ]
    svg = render_trajectory_svg(points, title=f'"{HOSTILE}"')
    assert "<script" not in svg
    root = parse(svg)
    assert not [element for element in root.iter() if element.tag.endswith("script")]
    assert root.findtext(f"{SVG}title") == f'"{HOSTILE}"'
    assert HOSTILE in (root.findtext(f"{SVG}desc") or "")
    assert any(HOSTILE in "".join(g.itertext()) for g in markers(root))
    assert "ab & c, 1 February 2025: 8 (Low)" in [g.findtext(f"{SVG}title") for g in markers(root)]


@pytest.mark.parametrize("points", [POINTS, []])
def test_self_contained(points: list[ChartPoint]) -> None:
    svg = render_trajectory_svg(points).lower()
    for forbidden in ("href", "url(", "<image", "<style", "<script", "<foreignobject", "@import"):
        assert forbidden not in svg


def test_empty_says_no_phq15_yet() -> None:
    root = parse(render_trajectory_svg([]))
    assert "No PHQ-15 yet" in texts(root)
    assert markers(root) == []
    assert root.findtext(f"{SVG}desc")


def test_many_points_still_one_marker_each() -> None:
    weekly = [ChartPoint(f"Week {i}", date(2025, 1, 6 + i), i % 31) for i in range(20)]
    root = parse(render_trajectory_svg(weekly, width=400))
    assert len(markers(root)) == 20


def test_deterministic() -> None:
    assert render_trajectory_svg(POINTS) == render_trajectory_svg(list(POINTS))


@pytest.mark.parametrize("total", [31, -1])
def test_out_of_range_total_raises(total: int) -> None:
    with pytest.raises(ValueError):
        render_trajectory_svg([ChartPoint("Intake", date(2025, 1, 1), total)])


def test_marked_baseline_need_not_be_the_earliest_point() -> None:
    # An "other" measurement at referral comes before the intake baseline of 18.
    points = [
        ChartPoint("At referral", date(2025, 1, 2), 12, is_baseline=False),
        ChartPoint("Intake", date(2025, 1, 14), 18, is_baseline=True),
        ChartPoint("End", date(2025, 4, 1), 9, is_baseline=False),
    ]
    root = parse(render_trajectory_svg(points))
    assert [g.get("data-kind") for g in markers(root)] == ["scored", "baseline", "scored"]
    assert "Baseline 18" in texts(root)
    desc = root.findtext(f"{SVG}desc") or ""
    assert "Intake (baseline), 14 January 2025: 18, high." in desc
    assert "At referral, 2 January 2025: 12, medium." in desc
    # Thresholds hang off 18 (MCID 15 and 21), not off the earlier 12.
    assert "MCID (+3)" in texts(root) and "Reliable change (+5)" in texts(root)
    assert "18 \u2192 9" in desc


def test_without_a_recorded_baseline_no_point_is_called_baseline() -> None:
    points = [
        ChartPoint("Session 2", date(2025, 2, 1), 14, is_baseline=False),
        ChartPoint("Session 5", date(2025, 3, 1), 11, is_baseline=False),
    ]
    root = parse(render_trajectory_svg(points))
    assert [g.get("data-kind") for g in markers(root)] == ["scored", "scored"]
    assert not any("Baseline" in text or "MCID" in text for text in texts(root))
    desc = root.findtext(f"{SVG}desc") or ""
    assert "(baseline)" not in desc
    assert "No baseline has been recorded" in desc


def test_the_chart_words_are_marked_for_translation() -> None:
    """Every word the chart shows goes through gettext, so `make messages` extracts it."""
    from babel.messages.extract import extract_from_file

    import therapy.services.phq15.chart as chart

    marked = {
        message
        for _line, message, _comments, _context in extract_from_file("python", chart.__file__)
    }
    for words in (
        "PHQ-15 over time",
        "PHQ-15 total",
        "MCID",
        "Reliable change",
        "MCID and reliable change",
        "incomplete",
        "Baseline %(total)d",
        "No PHQ-15 yet",
        "Bands: %(bands)s.",
    ):
        assert words in marked, words


def test_the_chart_is_the_same_inside_and_outside_a_request(tmp_path) -> None:
    """Built by a script or a unit test (no app at all), it comes out in English all the same."""
    from flask import has_app_context

    from tests.conftest import _make_app

    assert not has_app_context()
    outside = render_trajectory_svg(POINTS)
    app = _make_app("sqlite://", tmp_path / "instance")
    with app.test_request_context():
        inside = render_trajectory_svg(POINTS)
    assert inside == outside
    assert "PHQ-15 over time" in outside and "Baseline 18" in outside
