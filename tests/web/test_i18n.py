"""Dates and times are shown in the practice's time zone, in European order."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask, render_template_string


def test_times_are_shown_in_the_practice_time_zone(app: Flask) -> None:
    # 22:30 UTC on 1 July is half past midnight on 2 July in Amsterdam (summer time).
    moment = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    with app.test_request_context():
        shown = render_template_string("{{ moment|datetime('short') }}", moment=moment)
    assert shown == "02/07/2026, 00:30"


def test_dates_use_day_month_year(app: Flask) -> None:
    with app.test_request_context():
        shown = render_template_string("{{ day|date }}", day=date(2026, 11, 3))
    assert shown == "3 Nov 2026"


def test_missing_dates_render_as_nothing(app: Flask) -> None:
    with app.test_request_context():
        assert render_template_string("[{{ none|date }}]", none=None) == "[]"
