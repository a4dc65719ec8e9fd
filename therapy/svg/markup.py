"""Writing SVG markup safely: every text and attribute value is escaped where it is written."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

INK = "#222222"
# Rough advance of a 10px sans-serif glyph, for fitting labels into the room they have.
CHAR_WIDTH = 5.6
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text(value: str) -> str:
    """Escape text for content and attributes, dropping characters XML cannot carry."""
    return escape(_XML_INVALID.sub("", value), {'"': "&quot;", "'": "&apos;"})


def element(tag: str, content: str | None = None, /, **attrs: float | str) -> str:
    """One element; every value and text is escaped here, so no caller can forget to."""
    # font_size -> font-size; floats at fixed precision keep the output repeatable.
    rendered = " ".join(
        f'{name.replace("_", "-")}="'
        f'{f"{value:.1f}" if isinstance(value, float) else text(str(value))}"'
        for name, value in attrs.items()
    )
    if content is None:
        return f"<{tag} {rendered}/>"
    return f"<{tag} {rendered}>{text(content)}</{tag}>"


def hline(x1: float, x2: float, y: float, **style: float | str) -> str:
    """A horizontal line at height y."""
    return element("line", x1=x1, y1=y, x2=x2, y2=y, **style)


def label(x: float, y: float, content: str, size: int = 10, **attrs: float | str) -> str:
    """A text element in the chart's font."""
    # Caller's attributes last, so they may override the default ink.
    style: dict[str, float | str] = {"font_family": "sans-serif", "font_size": size, "fill": INK}
    return element("text", content, x=x, y=y, **(style | attrs))


def fit(content: str, room: float) -> str:
    """Shorten a label to the room available; the full text stays in titles and the desc."""
    limit = max(3, int(room / CHAR_WIDTH))
    return content if len(content) <= limit else content[: limit - 1] + "\u2026"


def group(css_class: str, kind: str, title: str, *children: str) -> str:
    """Elements under one <g>, with a title that browsers show as a tooltip."""
    return (
        f'<g class="{text(css_class)}" data-kind="{text(kind)}"><title>{text(title)}</title>'
        f"{''.join(children)}</g>"
    )
