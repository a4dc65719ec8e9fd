"""Figures the tests measure, printed in pytest's terminal summary (SECURITY.md)."""

from __future__ import annotations

_FIGURES: dict[str, str] = {}


def report(name: str, line: str) -> None:
    """Record the figure line for one promise; the last report of a name wins."""
    _FIGURES[name] = line


def lines() -> list[str]:
    """Every figure line, in name order."""
    return [_FIGURES[name] for name in sorted(_FIGURES)]
