"""Languages and formats: Dutch and English, the practice's time zone, European order."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask, render_template_string
from flask_babel import force_locale


def test_times_are_shown_in_the_practice_time_zone(app: Flask) -> None:
    # 22:30 UTC on 1 July is half past midnight on 2 July in Amsterdam (summer time).
    moment = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    with app.test_request_context():
        shown = render_template_string("{{ moment|datetime('short') }}", moment=moment)
    assert shown == "02/07/2026, 00:30"
    with app.app_context(), app.test_request_context(), force_locale("nl"):
        assert render_template_string("{{ moment|datetime }}", moment=moment) == (
            "2 juli 2026 00:30"
        )


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


def test_dutch_dates_numbers_and_words(app: Flask) -> None:
    """DOMAIN.md §7: "2 december 2026", 24-hour times and a decimal comma in Dutch."""
    from therapy.i18n.locale import format_number
    from therapy.i18n.translation import gettext

    template = "{{ day|date }} · {{ day|date('short') }} · {{ x|decimal(1) }} · {{ d|decimal(1) }}"
    values = {"day": date(2026, 12, 2), "x": 3, "d": 1234.56}
    # Each request has an app context of its own, as it has when served.
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "nl"}):
        assert render_template_string(template, **values) == (
            "2 december 2026 · 02-12-2026 · 3,0 · 1.234,6"
        )
        assert format_number(1.5, 1, signed=True) == "+1,5"
        assert gettext("My caseload") == "Mijn patiënten"
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en-GB"}):
        assert render_template_string(template, **values) == (
            "2 December 2026 · 02/12/2026 · 3.0 · 1,234.6"
        )


def test_a_dutch_document_can_be_made_from_an_english_page(app: Flask) -> None:
    """The per-request caches follow force_locale, there and back again."""
    from therapy.i18n.locale import format_day, format_number
    from therapy.i18n.translation import gettext

    def words() -> tuple[str, str, str, str]:
        rendered = render_template_string("{{ _('Log out') }}")
        return gettext("My caseload"), rendered, format_day(date(2026, 12, 2)), format_number(3)

    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en-GB"}):
        english = words()
        with force_locale("nl"):
            dutch = words()
        assert words() == english
    assert english == ("My caseload", "Log out", "2 December 2026", "3.0")
    assert dutch == ("Mijn patiënten", "Uitloggen", "2 december 2026", "3,0")


def test_an_accounts_language_beats_the_practice_and_the_browser(app: Flask, client, login) -> None:
    from tests.factories import make_user
    from therapy.extensions import db
    from therapy.models import Practice

    db.session.add(Practice(name="Praktijk", language="nl"))
    dutch, english = make_user(), make_user(language="en_GB")
    db.session.commit()
    login(dutch)
    page = client.get("/", headers={"Accept-Language": "en-GB"}).text
    assert 'lang="nl"' in page and "Mijn patiënten" in page
    other = app.test_client()
    login(english, test_client=other)
    assert "My caseload" in other.get("/", headers={"Accept-Language": "nl"}).text
    # Anonymous pages follow the browser, and the practice where the browser says nothing.
    anonymous = app.test_client()
    assert "Inloggen" in anonymous.get("/login", headers={"Accept-Language": "nl"}).text
    assert "Log in" in anonymous.get("/login", headers={"Accept-Language": "en"}).text
    assert 'lang="nl"' in anonymous.get("/login").text


def test_the_language_is_chosen_in_my_settings_and_kept(app: Flask, client, login) -> None:
    from tests.conftest import csrf_token_from
    from tests.factories import make_user
    from therapy.extensions import db
    from therapy.models import User

    user = make_user()
    db.session.commit()
    login(user)
    page = client.get("/account/settings")
    assert page.status_code == 200 and "As the practice (English)" in page.text
    token = csrf_token_from(page.text)
    response = client.post(
        "/account/settings", data={"csrf_token": token, "language": "nl"}, follow_redirects=True
    )
    assert "Uw instellingen zijn opgeslagen." in response.text
    assert db.session.get(User, user.id).language == "nl"
    assert "Mijn patiënten" in client.get("/").text


def test_the_catalogue_is_looked_up_once_per_language_in_a_request(app: Flask, monkeypatch) -> None:
    from therapy.i18n import translation

    calls = []
    real = translation.get_translations
    monkeypatch.setattr(translation, "get_translations", lambda: calls.append(1) or real())
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "nl"}):
        for _ in range(50):
            translation.gettext("My caseload")
        with force_locale("en_GB"):
            translation.gettext("My caseload")
        translation.gettext("My caseload")
    assert len(calls) == 3  # Dutch, English inside force_locale, Dutch again after it


def test_words_outside_a_request_leave_no_transaction_open(app: Flask) -> None:
    """A test (or a command) that turns a band into words beside a live server must not hold
    SQLite's write lock afterwards: the practice's language is read on a connection that ends."""
    from tests.factories import make_user
    from therapy.extensions import db
    from therapy.i18n.locale import practice_language
    from therapy.services.phq15.scoring import Band
    from therapy.services.phq15.words import band_label

    make_user()  # a practice whose language is stored
    db.session.commit()
    assert str(band_label(Band.MEDIUM))
    assert practice_language() in ("nl", "en_GB")
    assert not db.session().in_transaction()
