"""Translation and time-zone set-up, and the date filters templates use."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, has_request_context, request
from flask_babel import format_date, format_datetime

SUPPORTED_LOCALES = ("en",)


def select_locale() -> str:
    """The best supported language for this browser (English until the Dutch catalogue)."""
    if not has_request_context():
        return str(current_app.config.get("BABEL_DEFAULT_LOCALE", "en"))  # commands, services
    return request.accept_languages.best_match(SUPPORTED_LOCALES) or "en"


def select_timezone() -> str:
    """Every date and time is shown in the practice's time zone."""
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _date_filter(value: date | None, style: str = "medium") -> str:
    return "" if value is None else format_date(value, style)


def _datetime_filter(value: datetime | None, style: str = "medium") -> str:
    return "" if value is None else format_datetime(value, style)


def init_i18n(app: Flask) -> None:
    """Register the date filters and labels (the selectors are given to Flask-Babel)."""
    from therapy.labels import init_labels

    init_labels(app)
    app.jinja_env.filters["date"] = _date_filter
    app.jinja_env.filters["datetime"] = _datetime_filter
