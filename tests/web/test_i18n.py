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
    assert shown == "3 November 2026"


def test_missing_dates_render_as_nothing(app: Flask) -> None:
    with app.test_request_context():
        assert render_template_string("[{{ none|date }}]", none=None) == "[]"


def test_the_date_filter_writes_what_flask_babel_writes(app: Flask) -> None:
    """The filter parses each pattern once; the text must be Flask-Babel's own."""
    from flask_babel import format_date

    late = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # already 2 July in Amsterdam
    values = [date(2026, 1, 9), date(1, 1, 1), date(9999, 12, 31), late]
    with app.test_request_context():
        for style in ("short", "medium", "long", "full", "d MMM"):
            for value in values:
                shown = render_template_string("{{ v|date(s) }}", v=value, s=style)
                assert shown == format_date(value, style), (style, value)
        assert render_template_string("{{ v|date('short') }}", v=late) == "02/07/2026"


def test_translations_match_flask_babel(app: Flask) -> None:
    """Python code and templates find the catalogue once a request: the same text as before."""
    import flask_babel

    from therapy.i18n.translation import gettext, lazy_gettext, ngettext

    with app.test_request_context():
        assert gettext("My caseload") == flask_babel.gettext("My caseload")
        assert gettext("%(n)s of %(m)s", n=1, m=2) == flask_babel.gettext(
            "%(n)s of %(m)s", n=1, m=2
        )
        assert ngettext("%(num)d patient", "%(num)d patients", 3) == "3 patients"
        assert str(lazy_gettext("Report due")) == str(flask_babel.lazy_gettext("Report due"))
    # Outside any app: the text itself, as Flask-Babel gives it.
    assert gettext("Log out") == "Log out"
