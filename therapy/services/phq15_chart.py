"""PHQ-15 trajectory as a self-contained SVG string, for the screen and for WeasyPrint."""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from therapy.services.phq15 import (
    DEFAULT_CHANGE_SETTINGS,
    MAX_TOTAL,
    Band,
    ChangeSettings,
    band_for,
    classify_change,
)

# Presentation attributes only: no <style>, no scripts, no URLs, so a strict
# Content-Security-Policy and WeasyPrint's deny-by-default fetcher both accept it.
_FONT = 'font-family="sans-serif"'
_INK = "#222222"
_LINE = "#1f3a5f"
# Light fills whose lightness steps apart, so the bands survive greyscale printing.
_BAND_FILLS = {
    Band.MINIMAL: "#f7faf5",
    Band.LOW: "#e6eff8",
    Band.MEDIUM: "#f5dfb5",
    Band.HIGH: "#ebc0bb",
}
_MARGIN_LEFT, _MARGIN_RIGHT, _MARGIN_TOP, _MARGIN_BOTTOM = 46, 104, 34, 40
_MIN_WIDTH, _MIN_HEIGHT = 320, 200
_MIN_STEP_FOR_VALUES = 30
_CHAR_WIDTH = 5.6  # rough advance of a 10px sans-serif glyph, for fitting labels
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class ChartPoint:
    """One PHQ-15 administration on the chart; total None means incomplete."""

    label: str
    when: datetime.date
    total: int | None


def _text(value: str) -> str:
    """Escape user text for element content and attributes, dropping XML-illegal characters."""
    return escape(_XML_INVALID.sub("", value), {'"': "&quot;", "'": "&apos;"})


def _n(value: float) -> str:
    """Format a coordinate with fixed precision so output is byte-for-byte repeatable."""
    return f"{value:.1f}"


def _fit(label: str, room: float) -> str:
    """Shorten a label to the room available; the full text stays in titles and the desc."""
    limit = max(3, int(room / _CHAR_WIDTH))
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _signed(delta: int) -> str:
    """A signed point difference with a real minus sign."""
    return f"−{-delta}" if delta < 0 else f"+{delta}"


@dataclass(frozen=True)
class _Frame:
    """The plot rectangle inside the SVG and the scales that map data onto it."""

    width: int
    height: int
    count: int

    @property
    def left(self) -> float:
        """Left edge of the plot area."""
        return _MARGIN_LEFT

    @property
    def right(self) -> float:
        """Right edge of the plot area."""
        return self.width - _MARGIN_RIGHT

    @property
    def top(self) -> float:
        """Top edge of the plot area (total 30)."""
        return _MARGIN_TOP

    @property
    def bottom(self) -> float:
        """Bottom edge of the plot area (total 0)."""
        return self.height - _MARGIN_BOTTOM

    @property
    def step(self) -> float:
        """Horizontal distance between points; points sit centred in equal slots."""
        return (self.right - self.left) / max(self.count, 1)

    def x(self, index: int) -> float:
        """Horizontal position of the point at index."""
        return self.left + self.step * (index + 0.5)

    def y(self, total: float) -> float:
        """Vertical position of a total (0 at the bottom)."""
        return self.bottom - (self.bottom - self.top) * total / MAX_TOTAL


def _bands(frame: _Frame) -> list[str]:
    """Background bands, drawn from half-point edges so 5 sits inside low, not on a line."""
    parts = []
    for band in Band:
        upper = frame.y(min(band.highest + 0.5, MAX_TOTAL))
        lower = frame.y(max(band.lowest - 0.5, 0))
        parts.append(
            f'<rect x="{_n(frame.left)}" y="{_n(upper)}" width="{_n(frame.right - frame.left)}" '
            f'height="{_n(lower - upper)}" fill="{_BAND_FILLS[band]}" stroke="#9a9a9a" '
            f'stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{_n(frame.right + 6)}" y="{_n((upper + lower) / 2 + 4)}" {_FONT} '
            f'font-size="11" fill="{_INK}">{band.label} ({band.range_text})</text>'
        )
    return parts


def _axes(frame: _Frame) -> list[str]:
    """Y axis 0–30 with ticks every 5 points, the x axis line and the axis title."""
    parts = [
        f'<line x1="{_n(frame.left)}" y1="{_n(frame.top)}" x2="{_n(frame.left)}" '
        f'y2="{_n(frame.bottom)}" stroke="{_INK}" stroke-width="1"/>',
        f'<line x1="{_n(frame.left)}" y1="{_n(frame.bottom)}" x2="{_n(frame.right)}" '
        f'y2="{_n(frame.bottom)}" stroke="{_INK}" stroke-width="1"/>',
        f'<text x="12" y="{_n((frame.top + frame.bottom) / 2)}" {_FONT} font-size="10" '
        f'fill="{_INK}" text-anchor="middle" '
        f'transform="rotate(-90 12 {_n((frame.top + frame.bottom) / 2)})">PHQ-15 total</text>',
    ]
    for tick in range(0, MAX_TOTAL + 1, 5):
        y = frame.y(tick)
        parts.append(
            f'<line x1="{_n(frame.left - 4)}" y1="{_n(y)}" x2="{_n(frame.left)}" y2="{_n(y)}" '
            f'stroke="{_INK}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{_n(frame.left - 7)}" y="{_n(y + 3.5)}" {_FONT} font-size="10" '
            f'fill="{_INK}" text-anchor="end">{tick}</text>'
        )
    return parts


def _thresholds(frame: _Frame, baseline: int, settings: ChangeSettings) -> list[str]:
    """Dashed lines at baseline ± MCID and ± reliable change, each labelled in words."""
    mcid, reliable = settings.mcid, settings.reliable_change_points
    if mcid == reliable:
        lines = {mcid: ("MCID and reliable change", "8 4")}
    else:
        lines = {mcid: ("MCID", "3 3"), reliable: ("Reliable change", "8 4")}
    parts = []
    for size, (name, dash) in sorted(lines.items()):
        for delta in (-size, size):
            value = baseline + delta
            if not 0 <= value <= MAX_TOTAL:
                continue
            y = frame.y(value)
            # Labels sit on the side away from the baseline so they never cover its marker.
            text_y = y + 11 if delta < 0 else y - 4
            if text_y > frame.bottom - 2 or text_y - 9 < frame.top:
                text_y = y - 4 if delta < 0 else y + 11
            label = f"{name} ({_signed(delta)})"
            parts.append(
                f'<line x1="{_n(frame.left)}" y1="{_n(y)}" x2="{_n(frame.right)}" y2="{_n(y)}" '
                f'stroke="#333333" stroke-width="1.2" stroke-dasharray="{dash}"/>'
            )
            parts.append(
                f'<rect x="{_n(frame.left + 2)}" y="{_n(text_y - 9)}" '
                f'width="{_n(len(label) * _CHAR_WIDTH + 6)}" height="11" fill="#ffffff" '
                f'fill-opacity="0.8"/>'
            )
            parts.append(
                f'<text x="{_n(frame.left + 5)}" y="{_n(text_y)}" {_FONT} font-size="10" '
                f'fill="{_INK}">{label}</text>'
            )
    return parts


def _point(frame: _Frame, index: int, point: ChartPoint, is_baseline: bool, is_last: bool) -> str:
    """One marker group: shape, visible value and a title with the full label."""
    x = frame.x(index)
    when = point.when.isoformat()
    if point.total is None:
        # No total to place: a hollow marker on the axis, said in words, never read as 0.
        y = frame.bottom
        return (
            f'<g class="point" data-kind="incomplete"><title>{_text(point.label)}, {when}: '
            f"incomplete, no total</title>"
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4.5" fill="#ffffff" stroke="{_LINE}" '
            f'stroke-width="1.5" stroke-dasharray="2 1.5"/>'
            f'<text x="{_n(x)}" y="{_n(y - 8)}" {_FONT} font-size="9" fill="{_INK}" '
            f'text-anchor="middle">incomplete</text></g>'
        )
    y = frame.y(point.total)
    band = band_for(point.total)
    title = f"{_text(point.label)}, {when}: {point.total} ({band.label})"
    # Values near the top go under the marker so they do not run into the heading.
    text_y = y + 16 if point.total >= MAX_TOTAL - 2 else y - 9
    if is_baseline:
        caption = f"Baseline {point.total}"
        half = len(caption) * _CHAR_WIDTH * 0.65
        # Keep the caption inside the plot even when the baseline sits in a narrow first slot.
        text_x = min(max(x, frame.left + half + 2), frame.right - half - 2)
        size = 7.0
        shape = (
            f'<polygon points="{_n(x)},{_n(y - size)} {_n(x + size)},{_n(y)} '
            f'{_n(x)},{_n(y + size)} {_n(x - size)},{_n(y)}" fill="{_LINE}" '
            f'stroke="#ffffff" stroke-width="1.5"/>'
        )
        return (
            f'<g class="point" data-kind="baseline"><title>Baseline: {title}</title>{shape}'
            f'<text x="{_n(text_x)}" y="{_n(text_y - 2)}" {_FONT} font-size="11" '
            f'font-weight="bold" fill="{_INK}" text-anchor="middle">{caption}</text></g>'
        )
    # In narrow slots the numbers would collide; the title and the desc still carry them.
    value = (
        f'<text x="{_n(x)}" y="{_n(text_y)}" {_FONT} font-size="10" fill="{_INK}" '
        f'text-anchor="middle">{point.total}</text>'
        if is_last or frame.step >= _MIN_STEP_FOR_VALUES
        else ""
    )
    return (
        f'<g class="point" data-kind="scored"><title>{title}</title>'
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{_LINE}" stroke="#ffffff" '
        f'stroke-width="1"/>{value}</g>'
    )


def _x_labels(frame: _Frame, points: Sequence[ChartPoint]) -> list[str]:
    """Point label and ISO date under each slot, thinned out when slots get narrow."""
    every = max(1, math.ceil(64 / frame.step))
    parts = []
    for index, point in enumerate(points):
        if index % every:
            continue
        x = frame.x(index)
        room = frame.step * every - 4
        parts.append(
            f'<text x="{_n(x)}" y="{_n(frame.bottom + 15)}" {_FONT} font-size="10" '
            f'fill="{_INK}" text-anchor="middle">{_text(_fit(point.label, room))}</text>'
        )
        parts.append(
            f'<text x="{_n(x)}" y="{_n(frame.bottom + 28)}" {_FONT} font-size="9" '
            f'fill="#555555" text-anchor="middle">{point.when.isoformat()}</text>'
        )
    return parts


def _description(points: Sequence[ChartPoint], settings: ChangeSettings) -> str:
    """The chart's content in words, for screen readers and anyone who cannot see it."""
    sentences = ["PHQ-15 totals from 0 to 30 in date order; higher means more bothered."]
    for index, point in enumerate(points):
        role = " (baseline)" if index == 0 else ""
        value = (
            "incomplete, no total"
            if point.total is None
            else f"{point.total}, {band_for(point.total).label.lower()}"
        )
        sentences.append(f"{point.label}{role}, {point.when.isoformat()}: {value}.")
    baseline = points[0].total
    scored = [p.total for p in points[1:] if p.total is not None]
    if baseline is None:
        sentences.append("The baseline is incomplete, so change cannot be judged.")
    else:
        if scored:
            change = classify_change(baseline, scored[-1], settings)
            sentences.append(f"Baseline to latest: {change.sentence}.")
        sentences.append(
            f"Dashed lines mark the MCID ({settings.mcid} points) and reliable change "
            f"({settings.reliable_change_points} points) from the baseline."
        )
    bands = ", ".join(f"{b.label.lower()} {b.range_text}" for b in Band)
    sentences.append(f"Bands: {bands}.")
    return " ".join(sentences)


def render_trajectory_svg(
    points: Sequence[ChartPoint],
    settings: ChangeSettings = DEFAULT_CHANGE_SETTINGS,
    *,
    width: int = 640,
    height: int = 280,
    title: str = "PHQ-15 over time",
) -> str:
    """Render PHQ-15 totals over time, with bands and change thresholds, as an SVG string."""
    if width < _MIN_WIDTH or height < _MIN_HEIGHT:
        raise ValueError(f"chart must be at least {_MIN_WIDTH}×{_MIN_HEIGHT}, got {width}×{height}")
    for point in points:
        if point.total is not None:
            band_for(point.total)  # refuses a total outside 0–30 before any drawing
    # Stable sort: two administrations on one day keep the order they were given in.
    ordered = sorted(points, key=lambda p: p.when)
    frame = _Frame(width, height, len(ordered))
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
        f"<title>{_text(title)}</title>"
    )
    heading = (
        f'<text x="{_n(frame.left)}" y="20" {_FONT} font-size="14" font-weight="bold" '
        f'fill="{_INK}">{_text(title)}</text>'
    )
    if not ordered:
        return (
            f"{head}<desc>No PHQ-15 has been recorded yet.</desc>"
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>{heading}'
            f'<text x="{_n(width / 2)}" y="{_n(height / 2)}" {_FONT} font-size="14" '
            f'fill="{_INK}" text-anchor="middle">No PHQ-15 yet</text></svg>'
        )
    parts = [
        head,
        f"<desc>{_text(_description(ordered, settings))}</desc>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        heading,
        *_bands(frame),
        *_axes(frame),
    ]
    baseline = ordered[0].total
    if baseline is not None:
        parts.extend(_thresholds(frame, baseline, settings))
    scored = [(frame.x(i), frame.y(p.total)) for i, p in enumerate(ordered) if p.total is not None]
    if len(scored) > 1:
        coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in scored)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{_LINE}" stroke-width="2" '
            f'stroke-linejoin="round"/>'
        )
    parts.extend(_x_labels(frame, ordered))
    last = len(ordered) - 1
    parts.extend(_point(frame, i, p, i == 0, i == last) for i, p in enumerate(ordered))
    parts.append("</svg>")
    return "".join(parts)
