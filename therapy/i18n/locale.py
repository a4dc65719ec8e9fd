"""Which language a request speaks, the time zone, and the date and number formats."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from babel import Locale
from babel.dates import DateTimePattern, get_date_format, parse_pattern
from babel.numbers import format_decimal as babel_format_decimal
from babel.numbers import get_decimal_symbol
from flask import Flask, current_app, g, has_app_context, has_request_context, request
from flask_babel import format_datetime, get_locale, get_timezone, to_user_timezone
from flask_babel import refresh as flask_babel_refresh
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

from therapy.database.engine import DEFERRED_READS
from therapy.extensions import db
from therapy.i18n.labels import init_labels
from therapy.i18n.translation import babel_locale, translations
from therapy.models import Practice
from therapy.models.practice import LANGUAGES

# The languages of the product: Dutch first (the clinic, the patient and the GP read Dutch),
# English beside it (European date order and a 24-hour clock: en_GB).
DUTCH, ENGLISH = LANGUAGES
SUPPORTED_LOCALES = LANGUAGES
# Each language named in itself, so a reader of the other language still finds their own.
LANGUAGE_NAMES = {DUTCH: "Nederlands", ENGLISH: "English"}
DATE_STYLES = frozenset({"full", "long", "medium", "short"})
# A date and time in running text and tables: "2 december 2026 14:30".
DATETIME_PATTERN = "d MMMM y HH:mm"
_UI_LANGUAGE_KEY = "ui_language"


def use_language(code: str | None) -> None:
    """Show the rest of this request in `code` (an account's or a patient's language).

    Called by the login gate once it knows the account, or by a page that knows its reader's
    language; `None` leaves the choice to the browser and the practice's default.
    """
    if code not in SUPPORTED_LOCALES:
        return
    g.setdefault(_UI_LANGUAGE_KEY, None)
    if g.get(_UI_LANGUAGE_KEY) != code:
        g.ui_language = code
        flask_babel_refresh()  # a language looked up earlier in the request is looked up again


def select_locale() -> str:
    """The request's language: the reader's own choice (set through use_language), else a
    language the browser asks for, else the practice's default."""
    if not has_request_context():  # flask commands: the practice's language
        return practice_language()
    chosen = g.get(_UI_LANGUAGE_KEY)
    if chosen in SUPPORTED_LOCALES:
        return str(chosen)
    asked = request.accept_languages.best_match((*SUPPORTED_LOCALES, "en"))
    if asked == "en":
        return ENGLISH
    return asked or practice_language()


def remember_practice_language(stored: str | None) -> None:
    """The practice's language as already read (the login's own statement reads it), so
    this request does not ask the database again; None: the installation has no practice."""
    g.practice_language = stored if stored in SUPPORTED_LOCALES else _configured_language()


def _configured_language() -> str:
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def practice_language() -> str:
    """The practice's default language (a new practice speaks Dutch), read once per context."""
    found = g.get("practice_language") if has_app_context() else None
    if found is None:
        stored = _stored_practice_language()
        found = stored if stored in SUPPORTED_LOCALES else _configured_language()
        if has_app_context():
            g.practice_language = found
    return str(found)


def _stored_practice_language() -> str | None:
    """The first practice's language column. In a request, in the request's transaction;
    elsewhere (commands, a test beside a live server) on a connection of its own that reads
    without the write lock and ends at once, so formatting a word never leaves a transaction
    open behind it."""
    query = select(Practice.language).order_by(Practice.id).limit(1)
    try:
        if has_request_context():
            return db.session.scalar(query)
        with db.engine.connect().execution_options(**{DEFERRED_READS: True}) as connection:
            return connection.scalar(query)
    except (OperationalError, ProgrammingError):  # a database not yet migrated (commands)
        if has_request_context():
            db.session.rollback()
        return None


def html_lang() -> str:
    """The page's language as HTML writes it (BCP 47: "nl", "en-GB")."""
    return _locale_name().replace("_", "-")


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
    """This request's locale, looked up once per language (Flask-Babel looks again every
    time); keyed on Flask-Babel's locale object, which force_locale swaps and puts back.
    Outside an app (a script, a unit test) it is English, as the untranslated text is."""
    if not has_app_context():
        return ENGLISH
    locale = babel_locale()
    cached = g.get("_locale_name")
    if locale is not None and cached is not None and cached[0] is locale:
        return str(cached[1])
    name = str(get_locale())
    g._locale_name = (babel_locale(), name)
    return name


def format_day(value: date | None, style: str = "long") -> str:
    """A calendar date in the page's language, as flask_babel.format_date writes it (a date has
    no time zone to convert), with the locale's pattern parsed once instead of every time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value).date()  # a naive time is UTC, as Flask-Babel has it
    pattern, locale = _date_pattern(_locale_name(), style)
    return str(pattern.apply(value, locale))


def format_number(value: float | int | None, digits: int = 1, *, signed: bool = False) -> str:
    """A number in the page's language with a fixed number of decimals ("3,0" in Dutch,
    "3.0" in English); `signed` writes a plus sign before a positive change ("+1,5")."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    if signed:
        pattern = f"+{pattern};-{pattern}"
    return str(babel_format_decimal(value, format=pattern, locale=_locale_name()))


def decimal_separator() -> str:
    """The page's decimal separator: a comma in Dutch, a point in English."""
    return str(get_decimal_symbol(_locale_name()))


def format_moment(value: datetime | None, style: str = DATETIME_PATTERN) -> str:
    """A moment (stored in UTC) in the practice's time zone and the page's language."""
    return "" if value is None else str(format_datetime(value, style))


def init_i18n(app: Flask) -> None:
    """Register the date filters and labels (the selectors go to Flask-Babel)."""
    init_labels(app)
    app.jinja_env.filters["date"] = format_day
    app.jinja_env.filters["datetime"] = format_moment
    app.jinja_env.filters["decimal"] = format_number
    app.jinja_env.globals.update(html_lang=html_lang, language_names=LANGUAGE_NAMES)
    # Replaces the callables Flask-Babel installed: the same catalogue, found once per request.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
