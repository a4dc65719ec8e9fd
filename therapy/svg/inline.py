"""The one gate through which server-made SVG (QR codes, charts) is put into a page unescaped.

Templates never mark text safe themselves. An SVG built on the server passes this check
first: only drawing elements and presentation attributes, no script, style, event handler,
link, entity or foreign content. Anything else is refused, so even a bug in a builder that
forgot to escape user text cannot put script into the page.
"""

from __future__ import annotations

import re

from markupsafe import Markup

ALLOWED_ELEMENTS = frozenset(
    {"svg", "g", "path", "rect", "line", "polyline", "polygon", "circle", "ellipse", "text",
     "tspan", "title", "desc"}
)  # fmt: skip
ALLOWED_ATTRIBUTES = frozenset(
    {"xmlns", "width", "height", "viewbox", "class", "id", "role", "transform", "d", "points",
     "x", "y", "x1", "y1", "x2", "y2", "dx", "dy", "r", "cx", "cy", "rx", "ry", "fill",
     "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "stroke-linejoin",
     "stroke-linecap", "opacity", "font-family", "font-size", "font-weight", "font-style",
     "text-anchor", "dominant-baseline", "aria-label", "aria-labelledby", "aria-hidden",
     "focusable", "shape-rendering", "preserveaspectratio", "data-kind"}
)  # fmt: skip
_TAG = re.compile(r"<([^>]*)>")
_TAG_NAME = re.compile(r"^\s*/?\s*([A-Za-z][\w:.-]*)")
_ATTRIBUTE = re.compile(r"""([^\s=/"']+)\s*=\s*("[^"]*"|'[^']*')""")


class UnsafeSvg(ValueError):
    """The SVG holds something that could run or load in the page."""


def check_svg(svg: str) -> None:
    """Raise UnsafeSvg unless the SVG uses only the allowed elements and attributes."""
    if not svg.lstrip().startswith("<svg") or "<!" in svg or "<?" in svg or "&#" in svg:
        raise UnsafeSvg("not a plain <svg> element")
    for tag in _TAG.findall(svg):
        name = _TAG_NAME.match(tag)
        if name is None or name.group(1).lower() not in ALLOWED_ELEMENTS:
            raise UnsafeSvg(f"element not allowed: {tag[:40]!r}")
        rest = tag[name.end() :].rstrip("/ \t\n")
        attributes = _ATTRIBUTE.findall(rest)
        if _ATTRIBUTE.sub("", rest).strip():
            raise UnsafeSvg(f"malformed attributes in {tag[:40]!r}")
        for attribute, value in attributes:
            if attribute.lower() not in ALLOWED_ATTRIBUTES:
                raise UnsafeSvg(f"attribute not allowed: {attribute!r}")
            if "url(" in value.lower() or "javascript:" in value.lower():
                raise UnsafeSvg(f"reference not allowed in {attribute!r}")


def inline_svg(svg: str) -> Markup:
    """The SVG, checked, ready to place in a template without escaping."""
    check_svg(svg)
    return Markup(svg)  # noqa: S704 (checked above: drawing elements only) # nosec B704
