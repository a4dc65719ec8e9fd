"""PHQ-15 trajectory as a self-contained SVG string, for the screen and for WeasyPrint.

Its words and dates are in the reader's language; outside a request or app (a script, a
unit test) they come out in English, as flask_babel falls back to the untranslated text there.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass

from therapy.i18n.locale import format_day
from therapy.i18n.translation import gettext as _
from therapy.services.phq15.scoring import (
    MAX_TOTAL,
    MINUS,
    Band,
    ChangeSettings,
    band_for,
    classify_change,
)
from therapy.services.phq15.words import band_label, change_sentence
from therapy.svg.markup import CHAR_WIDTH as _CHAR_WIDTH
from therapy.svg.markup import INK as _INK
from therapy.svg.markup import element as _el
from therapy.svg.markup import fit as _fit
from therapy.svg.markup import group
from therapy.svg.markup import hline as _hline
from therapy.svg.markup import label as _label
from therapy.svg.markup import text as _text

# Dates under the x axis: day, short month and year in the reader's language ("2 dec 2026").
AXIS_DATE = "d MMM y"
# Presentation attributes only (no <style>, scripts or URLs), so a strict
# Content-Security-Policy and WeasyPrint's deny-by-default URL fetcher both accept the SVG.
_MUTED, _LINE, _WHITE = "#555555", "#1f3a5f", "#ffffff"
# Light fills whose lightness steps apart, so the bands still differ in greyscale print.
_BAND_FILLS = {
    Band.MINIMAL: "#f7faf5",
    Band.LOW: "#e6eff8",
    Band.MEDIUM: "#f5dfb5",
    Band.HIGH: "#ebc0bb",
}
_BAND_EDGE: dict[str, float | str] = {"stroke": "#9a9a9a", "stroke_width": 0.5}
_DASHED: dict[str, float | str] = {"stroke": "#333333", "stroke_width": 1.2}
_TRAJECTORY: dict[str, float | str] = {
    "fill": "none",
    "stroke": _LINE,
    "stroke_width": 2.0,
    "stroke_linejoin": "round",
}
_OUTLINE: dict[str, float | str] = {"stroke": _LINE, "stroke_width": 1.5}
_MARGIN_LEFT, _MARGIN_RIGHT, _MARGIN_TOP, _MARGIN_BOTTOM = 46, 104, 34, 40
_MIN_WIDTH, _MIN_HEIGHT = 320, 200
_MIN_STEP_FOR_VALUES = 30  # px per point below which value labels would collide
_MIN_STEP_FOR_X_LABELS = 64  # px a label and its ISO date need
_DEFAULT_SETTINGS = ChangeSettings()  # frozen, so one shared default is safe


@dataclass(frozen=True)
class ChartPoint:
    """One PHQ-15 administration on the chart; total None means incomplete.

    is_baseline left as None on every point makes the earliest point the baseline; once any
    point says True or False, only a point marked True is (so a chart without a recorded
    baseline never calls a session measurement one).
    """

    label: str
    when: datetime.date
    total: int | None
    is_baseline: bool | None = None
    # Who answered, when it was the patient themselves (said in the point's title).
    answered_by: str = ""


def _baseline_index(ordered: Sequence[ChartPoint]) -> int | None:
    """Position of the baseline among the date-ordered points, or None without one."""
    if not ordered:
        return None
    if all(point.is_baseline is None for point in ordered):
        return 0
    return next((i for i, point in enumerate(ordered) if point.is_baseline), None)


@dataclass(frozen=True)
class _Frame:
    """The plot rectangle inside the SVG, and the scales that map data onto it."""

    left: float
    right: float
    top: float
    bottom: float
    step: float  # points sit centred in equal slots, in date order

    def x(self, index: int) -> float:
        """Horizontal position of the point at index."""
        return self.left + self.step * (index + 0.5)

    def y(self, total: float) -> float:
        """Vertical position of a total, 0 at the bottom."""
        return self.bottom - (self.bottom - self.top) * total / MAX_TOTAL


def _frame(width: int, height: int, count: int) -> _Frame:
    """Plot area left after the margins for axis, band labels, title and x labels."""
    left, right = float(_MARGIN_LEFT), float(width - _MARGIN_RIGHT)
    step = (right - left) / max(count, 1)
    return _Frame(left, right, float(_MARGIN_TOP), float(height - _MARGIN_BOTTOM), step)


def _bands(frame: _Frame) -> list[str]:
    """Background bands with their names in words, never colour alone."""
    parts = []
    for band in Band:
        low, high = band.bounds
        # Half-point edges, so a total of 5 sits inside "low" rather than on a border.
        upper, lower = frame.y(min(high + 0.5, MAX_TOTAL)), frame.y(max(low - 0.5, 0))
        box = {"x": frame.left, "y": upper, "width": frame.right - frame.left}
        fill = _BAND_FILLS[band]
        parts.append(_el("rect", **box, height=lower - upper, fill=fill, **_BAND_EDGE))
        label = f"{band_label(band)} ({band.range_text})"
        parts.append(_label(frame.right + 6, (upper + lower) / 2 + 4, label, 11))
    return parts


def _axes(frame: _Frame) -> list[str]:
    """Y axis 0 to 30 with a tick every 5 points, the x axis line and the axis title."""
    middle = (frame.top + frame.bottom) / 2
    rotate = f"rotate(-90 12 {middle:.1f})"
    parts = [
        _el("line", x1=frame.left, y1=frame.top, x2=frame.left, y2=frame.bottom, stroke=_INK),
        _hline(frame.left, frame.right, frame.bottom, stroke=_INK),
        _label(12.0, middle, _("PHQ-15 total"), text_anchor="middle", transform=rotate),
    ]
    for tick in range(0, MAX_TOTAL + 1, 5):
        y = frame.y(tick)
        parts.append(_hline(frame.left - 4, frame.left, y, stroke=_INK))
        parts.append(_label(frame.left - 7, y + 3.5, str(tick), text_anchor="end"))
    return parts


def _thresholds(frame: _Frame, baseline: int, settings: ChangeSettings) -> list[str]:
    """Dashed lines at baseline minus and plus the MCID and reliable change, named in words."""
    mcid, reliable = settings.mcid, settings.reliable_change_points
    if mcid == reliable:
        lines = {mcid: (_("MCID and reliable change"), "8 4")}
    else:
        lines = {mcid: (_("MCID"), "3 3"), reliable: (_("Reliable change"), "8 4")}
    parts = []
    for size, (name, dash) in sorted(lines.items()):
        for delta in (-size, size):
            if not 0 <= baseline + delta <= MAX_TOTAL:
                continue
            y = frame.y(baseline + delta)
            # Labels sit on the side away from the baseline so they never cover its marker.
            text_y = y + 11 if delta < 0 else y - 4
            if text_y > frame.bottom - 2 or text_y - 9 < frame.top:
                text_y = y - 4 if delta < 0 else y + 11
            label = f"{name} ({MINUS if delta < 0 else '+'}{size})"
            parts.append(_hline(frame.left, frame.right, y, stroke_dasharray=dash, **_DASHED))
            # A pale backing keeps the label legible where the trajectory crosses it.
            backing = {"x": frame.left + 2, "y": text_y - 9, "width": len(label) * _CHAR_WIDTH + 6}
            parts.append(_el("rect", **backing, height=11, fill=_WHITE, fill_opacity=0.8))
            parts.append(_label(frame.left + 5, text_y, label))
    return parts


def _point(frame: _Frame, index: int, point: ChartPoint, is_baseline: bool, is_last: bool) -> str:
    """One marker group: its shape, a visible value and a title with the full label."""
    x, when = frame.x(index), format_day(point.when)
    if point.total is None:
        # No total to place: a hollow marker on the axis, named in words so it never reads as 0.
        y = frame.bottom
        return group(
            "point",
            "incomplete",
            _("%(label)s, %(date)s: incomplete, no total", label=point.label, date=when),
            _el("circle", cx=x, cy=y, r=4.5, fill=_WHITE, stroke_dasharray="2 1.5", **_OUTLINE),
            _label(x, y - 8, _("incomplete"), 9, text_anchor="middle"),
        )
    y, band = frame.y(point.total), band_for(point.total)
    title = f"{point.label}, {when}: {point.total} ({band_label(band)})"
    if point.answered_by:
        title = f"{title}; {point.answered_by}"
    # Values near the top go under the marker so they do not run into the heading.
    text_y = y + 16 if point.total >= MAX_TOTAL - 2 else y - 9
    if is_baseline:
        caption = _("Baseline %(total)d", total=point.total)
        half = len(caption) * _CHAR_WIDTH * 0.65
        # Keep the caption inside the plot even when the baseline sits in a narrow first slot.
        text_x = min(max(x, frame.left + half + 2), frame.right - half - 2)
        diamond = f"{x:.1f},{y - 7:.1f} {x + 7:.1f},{y:.1f} {x:.1f},{y + 7:.1f} {x - 7:.1f},{y:.1f}"
        return group(
            "point",
            "baseline",
            _("Baseline: %(title)s", title=title),
            _el("polygon", points=diamond, fill=_LINE, stroke=_WHITE, stroke_width=1.5),
            _label(text_x, text_y - 2, caption, 11, font_weight="bold", text_anchor="middle"),
        )
    # In narrow slots the numbers would collide; the title and the desc still carry them.
    show_value = is_last or frame.step >= _MIN_STEP_FOR_VALUES
    value = _label(x, text_y, str(point.total), text_anchor="middle") if show_value else ""
    circle = _el("circle", cx=x, cy=y, r=4.0, fill=_LINE, stroke=_WHITE, stroke_width=1.0)
    return group("point", "scored", title, circle, value)


def _x_labels(frame: _Frame, points: Sequence[ChartPoint]) -> list[str]:
    """Point label and short date (in the reader's language) under each slot, thinned out
    when slots get narrow."""
    every = max(1, math.ceil(_MIN_STEP_FOR_X_LABELS / frame.step))
    parts = []
    for index in range(0, len(points), every):
        x, point = frame.x(index), points[index]
        label = _fit(point.label, frame.step * every - 4)
        parts.append(_label(x, frame.bottom + 15, label, text_anchor="middle"))
        date = format_day(point.when, AXIS_DATE)
        parts.append(_label(x, frame.bottom + 28, date, 9, fill=_MUTED, text_anchor="middle"))
    return parts


def _change_sentences(
    points: Sequence[ChartPoint], settings: ChangeSettings, baseline_at: int | None
) -> list[str]:
    """What can be said about change: the class since baseline, or why there is none."""
    if baseline_at is None:
        return [_("No baseline has been recorded, so change cannot be judged.")]
    baseline = points[baseline_at].total
    if baseline is None:
        return [_("The baseline is incomplete, so change cannot be judged.")]
    sentences = []
    later = [p.total for p in points[baseline_at + 1 :] if p.total is not None]
    if later:
        change = classify_change(baseline, later[-1], settings)
        sentences.append(_("Baseline to latest: %(change)s.", change=change_sentence(change)))
    sentences.append(
        _(
            "Dashed lines mark the MCID (%(mcid)d points) and reliable change "
            "(%(reliable)d points) from the baseline.",
            mcid=settings.mcid,
            reliable=settings.reliable_change_points,
        )
    )
    return sentences


def _description(
    points: Sequence[ChartPoint], settings: ChangeSettings, baseline_at: int | None
) -> str:
    """The chart's content in words, for screen readers and anyone who cannot see it."""
    sentences = [_("PHQ-15 totals from 0 to 30 in date order; higher means more bothered.")]
    for index, point in enumerate(points):
        name = _("%(label)s (baseline)", label=point.label) if index == baseline_at else point.label
        value = (
            _("incomplete, no total")
            if point.total is None
            else f"{point.total}, {band_label(band_for(point.total)).lower()}"
        )
        sentences.append(f"{name}, {format_day(point.when)}: {value}.")
    sentences += _change_sentences(points, settings, baseline_at)
    bands = ", ".join(f"{band_label(band).lower()} {band.range_text}" for band in Band)
    sentences.append(_("Bands: %(bands)s.", bands=bands))
    return " ".join(sentences)


def render_trajectory_svg(
    points: Sequence[ChartPoint],
    settings: ChangeSettings = _DEFAULT_SETTINGS,
    *,
    width: int = 640,
    height: int = 280,
    title: str | None = None,
) -> str:
    """Render PHQ-15 totals over time, with bands and change thresholds, as an SVG string."""
    # Translated here, at render time: a default argument would be fixed at import, in English.
    title = _("PHQ-15 over time") if title is None else title
    if width < _MIN_WIDTH or height < _MIN_HEIGHT:
        raise ValueError(f"chart must be at least {_MIN_WIDTH}x{_MIN_HEIGHT}, got {width}x{height}")
    for point in points:
        if point.total is not None:
            band_for(point.total)  # refuses a total outside 0 to 30 before drawing anything
    # A stable sort: two administrations on one day keep the order they were given in.
    ordered = sorted(points, key=lambda p: p.when)
    frame = _frame(width, height, len(ordered))
    baseline_at = _baseline_index(ordered)
    description = (
        _description(ordered, settings, baseline_at)
        if ordered
        else _("No PHQ-15 has been recorded yet.")
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">',
        f"<title>{_text(title)}</title><desc>{_text(description)}</desc>",
        _el("rect", x=0, y=0, width=width, height=height, fill=_WHITE),
        _label(frame.left, 20.0, title, 14, font_weight="bold"),
    ]
    if not ordered:
        parts.append(_label(width / 2, height / 2, _("No PHQ-15 yet"), 14, text_anchor="middle"))
        return "".join([*parts, "</svg>"])
    parts += _bands(frame) + _axes(frame)
    baseline = None if baseline_at is None else ordered[baseline_at].total
    if baseline is not None:
        parts += _thresholds(frame, baseline, settings)
    scored = [(frame.x(i), frame.y(p.total)) for i, p in enumerate(ordered) if p.total is not None]
    if len(scored) > 1:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in scored)
        parts.append(_el("polyline", points=coords, **_TRAJECTORY))
    parts += _x_labels(frame, ordered)
    last = len(ordered) - 1
    parts += [_point(frame, i, p, i == baseline_at, i == last) for i, p in enumerate(ordered)]
    return "".join([*parts, "</svg>"])
