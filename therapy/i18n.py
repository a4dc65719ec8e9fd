"""Translation and time-zone set-up, and the date filters templates use."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, has_request_context, request
from flask_babel import format_date, format_datetime, get_timezone

# English with European date order (12 Nov 2026) until the Dutch catalogue arrives.
SUPPORTED_LOCALES = ("en_GB",)


def select_locale() -> str:
    """The best supported language for this browser (English until the Dutch catalogue)."""
    if not has_request_context():  # flask commands
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    return request.accept_languages.best_match(SUPPORTED_LOCALES) or SUPPORTED_LOCALES[0]


def select_timezone() -> str:
    """Every date and time is shown in the practice's time zone."""
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def practice_today() -> date:
    """Today's date where the practice is, for "not in the future" checks and defaults."""
    return datetime.now(get_timezone()).date()


def _date_filter(value: date | None, style: str = "medium") -> str:
    return "" if value is None else format_date(value, style)


def _datetime_filter(value: datetime | None, style: str = "medium") -> str:
    return "" if value is None else format_datetime(value, style)


def init_i18n(app: Flask) -> None:
    """Register the date filters, labels and error summary (the selectors go to Flask-Babel)."""
    from therapy.form_errors import init_form_errors
    from therapy.labels import init_labels

    init_labels(app)
    init_form_errors(app)
    app.jinja_env.filters["date"] = _date_filter
    app.jinja_env.filters["datetime"] = _datetime_filter
