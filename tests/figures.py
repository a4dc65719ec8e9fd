"""Figures the tests measure, printed in pytest's terminal summary (SECURITY.md)."""

from __future__ import annotations

import contextlib

_FIGURES: dict[str, str] = {}
_PARTS: dict[str, dict[str, object]] = {}
# Figure lines whose numbers come from more than one test.
_TEMPLATES = {
    "concurrency": (
        "concurrency: {overwrites} silent overwrites, {rows} row from {posts} double submits"
    ),
}


def report(name: str, line: str) -> None:
    """Record the figure line for one promise; the last report of a name wins."""
    _FIGURES[name] = line


def report_part(name: str, **parts: object) -> None:
    """Record some of the numbers of a shared figure line; it is printed once all are in."""
    _PARTS.setdefault(name, {}).update(parts)
    with contextlib.suppress(KeyError):  # until the other tests' numbers are in
        _FIGURES[name] = _TEMPLATES[name].format(**_PARTS[name])


_SUMS: dict[str, dict[str, int]] = {}


def report_sum(name: str, template: str, **amounts: int) -> None:
    """Add to the numbers of a figure line that several tests count towards (e.g. fuzzing)."""
    totals = _SUMS.setdefault(name, {})
    for key, amount in amounts.items():
        totals[key] = totals.get(key, 0) + amount
    _FIGURES[name] = template.format(**totals)


def lines() -> list[str]:
    """Every figure line, in name order."""
    return [_FIGURES[name] for name in sorted(_FIGURES)]
