"""Horizontal bar charts of the outcomes page, as SVG made on the server (like the PHQ-15 chart).

A bar whose value is withheld (a small count) is drawn as no bar with the words "< 5", never
as zero. Presentation attributes only, so the page's strict CSP and inline_svg accept it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from therapy.svg.markup import element, label, text

_BAR, _TRACK, _WHITE = "#1f3a5f", "#e6eff8", "#ffffff"
_LEFT, _RIGHT, _TOP, _ROW = 220, 70, 36, 26


@dataclass(frozen=True)
class Bar:
    """One bar: its words, its value (None when withheld) and the value as written."""

    name: str
    value: float | None
    shown: str


def bar_chart(title: str, bars: Sequence[Bar], *, width: int = 640, scale: float = 0) -> str:
    """The bars side by side on one scale (the largest value, or `scale` when given)."""
    height = _TOP + _ROW * max(len(bars), 1) + 12
    top = scale or max((b.value for b in bars if b.value is not None), default=0) or 1
    room = width - _LEFT - _RIGHT
    description = "; ".join(f"{b.name}: {b.shown}" for b in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" class="outcomes-chart">',
        f"<title>{text(title)}</title><desc>{text(description)}</desc>",
        element("rect", x=0, y=0, width=width, height=height, fill=_WHITE),
        label(8.0, 20.0, title, 14, font_weight="bold"),
    ]
    for index, bar in enumerate(bars):
        y = float(_TOP + index * _ROW)
        parts.append(label(_LEFT - 8.0, y + 14, bar.name, 11, text_anchor="end"))
        parts.append(element("rect", x=_LEFT, y=y + 3, width=room, height=16.0, fill=_TRACK))
        length = 0.0 if bar.value is None else room * min(bar.value / top, 1.0)
        if length:
            parts.append(element("rect", x=_LEFT, y=y + 3, width=length, height=16.0, fill=_BAR))
        parts.append(label(_LEFT + length + 6, y + 15, bar.shown, 11))
    return "".join([*parts, "</svg>"])
