"""An expired form token or login never throws typed text away, and saves nothing by itself."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from sqlalchemy import func, select

from tests.conftest import csrf_token_from, totp_code_for
from tests.factories import (
    PASSWORD,
    make_episode_in_treatment,
)
from tests.safety.forms import post_as_browser, rendered_form
from tests.web.clinical import session_data
from therapy.extensions import db
from therapy.models import AuditEvent, FormDraft, TherapySession

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NOTE = "Twenty minutes of notes: neck tension eased after the breathing exercise"


@pytest.fixture
def episode(app):
    episode = make_episode_in_treatment(START.date())
    db.session.commit()
    return episode


def _url(episode) -> str:
    return f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions/new"


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_an_expired_token_shows_the_form_again_as_typed(client, login, episode) -> None:
    login(episode.therapist)
    tokens = rendered_form(client, _url(episode))
    data = session_data(episode, START.date(), notes=NOTE, home_exercises="Walk 10 min")
    expired = {**tokens, "csrf_token": "expired-" + "0" * 40}
    response = post_as_browser(client, _url(episode), data, expired)
    assert response.status_code == 400
    assert "Not saved yet" in response.text
    assert NOTE in response.text and "Walk 10 min" in response.text
    assert 'value="expired-' not in response.text  # a fresh token to save with
    assert _count(TherapySession) == 0 and _count(FormDraft) == 0  # nothing saved or stored
    again = post_as_browser(client, _url(episode), data, rendered_form(client, _url(episode)))
    assert again.status_code == 302 and _count(TherapySession) == 1


def test_a_form_posted_after_the_login_ended_is_back_after_logging_in(app, login, episode):
    with time_machine.travel(START, tick=False) as clock:
        client = login(episode.therapist, test_client=app.test_client())
        tokens = rendered_form(client, _url(episode))
        clock.shift(timedelta(hours=2, minutes=10))  # past the lock, the login ends (no keep-alive)
        data = session_data(episode, START.date(), notes=NOTE)
        response = post_as_browser(client, _url(episode), data, tokens)
        assert response.status_code == 302
        target = urlsplit(response.headers["Location"])
        assert target.path == "/login"
        assert parse_qs(target.query)["next"] == [_url(episode) + "?draft=restore"]
        assert _count(TherapySession) == 0
        kept = db.session.scalar(select(FormDraft))
        assert kept is not None and kept.user_id == episode.therapist_id
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "form_draft"))
        assert audit is not None and audit.user_id == episode.therapist_id

        login_page = client.get(response.headers["Location"])
        assert "What you typed is kept" in login_page.text
        client.post(
            response.headers["Location"],
            data={
                "csrf_token": csrf_token_from(login_page.text),
                "email": episode.therapist.email,
                "password": PASSWORD,
            },
        )
        code_page = client.get("/login/code")
        landed = client.post(
            "/login/code",
            data={
                "csrf_token": csrf_token_from(code_page.text),
                "code": totp_code_for(episode.therapist),
            },
        )
        assert landed.headers["Location"] == _url(episode) + "?draft=restore"
        form = client.get(landed.headers["Location"])
        assert "Not saved yet" in form.text and NOTE in form.text
        assert _count(TherapySession) == 0  # nothing was saved automatically
        saved = post_as_browser(client, _url(episode), data, rendered_form(client, _url(episode)))
        assert saved.status_code == 302
        assert _count(TherapySession) == 1 and _count(FormDraft) == 0


def test_a_post_without_this_browsers_token_keeps_nothing(app, login, episode) -> None:
    """After the login ended, a forged post (another site's) is not stored for the account."""
    with time_machine.travel(START, tick=False) as clock:
        client = login(episode.therapist, test_client=app.test_client())
        clock.shift(timedelta(hours=2, minutes=10))  # the login has ended, not only locked
        forged = {"csrf_token": "forged", **session_data(episode, date(2026, 11, 2), notes="x")}
        response = client.post(_url(episode), data=forged)
        assert response.status_code == 401  # only the text that was sent is shown back
        assert _count(FormDraft) == 0


def test_a_post_over_the_size_limit_says_nothing_was_saved(client, login, episode) -> None:
    login(episode.therapist)
    tokens = rendered_form(client, _url(episode))
    limit = client.application.config["MAX_CONTENT_LENGTH"]
    huge = session_data(episode, START.date(), notes="x" * (limit + 10))
    response = post_as_browser(client, _url(episode), huge, tokens)
    assert response.status_code == 413
    assert "Nothing was saved" in response.text
    assert f'href="{_url(episode)}"' in response.text  # back to the form and its kept draft
    assert _count(TherapySession) == 0


def test_a_post_whose_login_vanished_gives_the_text_back(client, login, episode) -> None:
    """Logged out in another tab: no account to keep it for, so the text comes back to copy."""
    from sqlalchemy import delete

    from therapy.models import UserSession

    login(episode.therapist)
    tokens = rendered_form(client, _url(episode))
    db.session.execute(delete(UserSession))
    db.session.commit()
    data = session_data(episode, START.date(), notes=NOTE, scebs_social="Partner <b>helps</b>")
    response = post_as_browser(client, _url(episode), data, tokens)
    assert response.status_code == 401
    assert "Not saved: you are logged out" in response.text
    assert NOTE in response.text
    assert "Partner &lt;b&gt;helps&lt;/b&gt;" in response.text  # shown as text, never as markup
    # Typed text only: no choice codes, dates or minutes to wade through.
    main = response.text.split("<main")[1]
    assert ">attended<" not in main and ">2026-11-02<" not in main and "Scebs social" in main
    assert "Save session" not in main
    assert "csrf" not in response.text.split("<main")[1].lower().split("</main>")[0]
    assert _count(TherapySession) == 0 and _count(FormDraft) == 0
