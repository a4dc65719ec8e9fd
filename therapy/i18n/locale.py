"""Translation and time-zone set-up, and the date filters templates use."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from babel import Locale
from babel.dates import DateTimePattern, get_date_format, parse_pattern
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import format_datetime, get_locale, get_timezone, to_user_timezone

from therapy.i18n.labels import init_labels
from therapy.i18n.translation import translations

# English with European date order (12 Nov 2026) until the Dutch catalogue arrives.
SUPPORTED_LOCALES = ("en_GB",)
DATE_STYLES = frozenset({"full", "long", "medium", "short"})


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


@cache
def _date_pattern(locale: str, style: str) -> tuple[DateTimePattern, Locale]:
    parsed = Locale.parse(locale)
    # A named style is the locale's pattern; anything else is a pattern itself (as in Babel).
    pattern = get_date_format(style, parsed) if style in DATE_STYLES else style  # type: ignore[arg-type]
    return parse_pattern(pattern), parsed


def _locale_name() -> str:
    """This request's locale, looked up once (Flask-Babel looks again every time)."""
    found = g.get("_locale_name")
    if found is None:
        found = g._locale_name = str(get_locale())
    return str(found)


def format_day(value: date | None, style: str = "medium") -> str:
    """A calendar date in the page's language, as flask_babel.format_date writes it (a date has
    no time zone to convert), with the locale's pattern parsed once instead of every time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value).date()  # a naive time is UTC, as Flask-Babel has it
    pattern, locale = _date_pattern(_locale_name(), style)
    return str(pattern.apply(value, locale))


def _datetime_filter(value: datetime | None, style: str = "medium") -> str:
    return "" if value is None else format_datetime(value, style)


def init_i18n(app: Flask) -> None:
    """Register the date filters and labels (the selectors go to Flask-Babel)."""
    init_labels(app)
    app.jinja_env.filters["date"] = format_day
    app.jinja_env.filters["datetime"] = _datetime_filter
    # Replaces the callables Flask-Babel installed: the same catalogue, found once per request.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
