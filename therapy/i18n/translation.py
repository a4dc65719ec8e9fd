"""gettext for Python code and templates that finds the request's catalogue once.

Flask-Babel looks the catalogue and the locale up again for every string, through several
context lookups each time, and a caseload page translates a few hundred strings. These give
the same result from the same catalogue (Flask-Babel's), looked up once per language: the
cache is keyed on the locale object Flask-Babel keeps for the context, which
`flask_babel.force_locale` swaps (a Dutch PDF made from an English page) and puts back.
"""

from __future__ import annotations

from typing import Any

from babel.support import NullTranslations
from flask import g, has_app_context
from flask_babel import get_translations
from flask_babel.speaklater import LazyString

_NO_CATALOGUE = NullTranslations()


def translations() -> Any:
    """This request's (or app context's) catalogue; the untranslated text outside one."""
    if not has_app_context():
        return _NO_CATALOGUE
    locale = babel_locale()
    cached = g.get("_translations")
    if locale is not None and cached is not None and cached[0] is locale:
        return cached[1]
    found = get_translations()  # selects the locale first when none is set yet
    g._translations = (babel_locale(), found)
    return found


def babel_locale() -> Any:
    """Flask-Babel's own locale object for this context: set on first use, replaced by
    force_locale (and put back after it), so a cache keyed on it follows the language."""
    return getattr(g.get("_flask_babel"), "babel_locale", None)


def gettext(string: str, **variables: Any) -> str:
    """As flask_babel.gettext: the translation, with %(name)s filled from the variables."""
    text = translations().ugettext(string)
    return text if not variables else text % variables


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """As flask_babel.ngettext: singular or plural by num, available as %(num)d."""
    variables.setdefault("num", num)
    text = translations().ungettext(singular, plural, num)
    return text if not variables else text % variables


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """As flask_babel.lazy_gettext: translated each time it is used as a string."""
    return LazyString(gettext, string, **variables)
