"""Nothing typed is lost, in a real browser: autosaved drafts, an ended login, two browsers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select, update

from tests.browser.conftest import browser_login
from tests.factories import (
    make_episode_in_treatment,
    make_session,
)
from therapy.extensions import db
from therapy.models import FormDraft, TherapySession, UserSession

pytestmark = pytest.mark.browser
TODAY = date.today()
NOTE = "Shoulders dropped after the body scan; she cried for the first time."


@pytest.fixture
def episode(app):
    episode = make_episode_in_treatment(TODAY)
    make_session(episode, 1, held_on=TODAY - timedelta(2), notes="Written at the session")
    db.session.commit()
    return episode


def _urls(base: str, episode) -> tuple[str, str]:
    """The new-session and edit-session-1 pages; the test's transaction ends afterwards.

    On SQLite every transaction holds the write lock, so the test must not keep one open (nor
    touch expired ORM objects, which opens one) while the browser saves.
    """
    episode_url = f"{base}/patients/{episode.patient_id}/episodes/{episode.id}"
    session_id = episode.sessions[0].id
    db.session.commit()
    return f"{episode_url}/sessions/new", f"{episode_url}/sessions/{session_id}/edit"


def test_an_autosaved_draft_is_offered_and_restored(app, page: Page, live_server, episode):
    app.config["DRAFT_AUTOSAVE_SECONDS"] = 1
    therapist = episode.therapist
    new, _edit = _urls(live_server, episode)
    browser_login(page, live_server, therapist)
    page.goto(new)
    page.get_by_role("textbox", name="Notes", exact=True).fill(NOTE)
    expect(page.locator("#draft-status")).to_contain_text("not saved yet", timeout=10_000)
    page.goto(f"{live_server}/")  # the therapist is called away; the page is left unsaved
    page.goto(new)
    expect(page.get_by_text("A draft of this form was kept")).to_be_visible()
    expect(page.get_by_role("textbox", name="Notes", exact=True)).to_have_value("")
    page.get_by_role("link", name="Restore the draft").click()
    expect(page.get_by_text("Not saved yet")).to_be_visible()
    expect(page.get_by_role("textbox", name="Notes", exact=True)).to_have_value(NOTE)
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session 2 was saved.")).to_be_visible()
    db.session.expire_all()
    assert db.session.scalars(select(FormDraft)).all() == []
    saved = db.session.scalar(select(TherapySession).where(TherapySession.number == 2))
    assert saved is not None and saved.notes == NOTE
    db.session.commit()


def test_saving_after_the_login_ended_keeps_the_text(app, page: Page, live_server, episode):
    therapist = episode.therapist
    new, _edit = _urls(live_server, episode)
    browser_login(page, live_server, therapist)
    page.goto(new)
    page.get_by_role("textbox", name="Notes", exact=True).fill(NOTE)
    page.get_by_role("textbox", name="Home exercises").fill("Body scan, ten minutes a day")
    # Over two hours without a keystroke: the login ends on the server (idle timeout).
    db.session.execute(
        update(UserSession).values(last_seen_at=datetime.now(UTC) - timedelta(minutes=125))
    )
    db.session.commit()
    page.get_by_role("button", name="Save session").click()
    page.wait_for_url("**/login?**")
    expect(page.get_by_text("What you typed is kept")).to_be_visible()
    browser_login(page, live_server, therapist, start=False)
    expect(page.get_by_text("Not saved yet")).to_be_visible()
    expect(page.get_by_role("textbox", name="Notes", exact=True)).to_have_value(NOTE)
    expect(page.get_by_role("textbox", name="Home exercises")).to_have_value(
        "Body scan, ten minutes a day"
    )
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session 2 was saved.")).to_be_visible()


def test_two_browsers_editing_one_session_lose_neither_text(
    chromium: Browser, live_server, episode
) -> None:
    therapist, session_id = episode.therapist, episode.sessions[0].id
    _new, url = _urls(live_server, episode)
    first, second = chromium.new_context(), chromium.new_context()
    try:
        one, two = first.new_page(), second.new_page()
        for page in (one, two):
            browser_login(page, live_server, therapist)
            page.goto(url)
        notes_one = one.get_by_role("textbox", name="Notes", exact=True)
        notes_two = two.get_by_role("textbox", name="Notes", exact=True)
        notes_one.fill("From the desk: pain 4/10.")
        one.get_by_role("button", name="Save session").click()
        expect(one.get_by_text("Session 1 was updated.")).to_be_visible()
        notes_two.fill("From the gym: balance better.")
        two.get_by_role("button", name="Save session").click()
        # Refused, with both versions side by side and this browser's text still in the form.
        expect(two.get_by_text("this record was changed while you were editing")).to_be_visible()
        table = two.locator(".conflict__table")
        expect(table).to_contain_text("From the desk: pain 4/10.")
        expect(table).to_contain_text("From the gym: balance better.")
        expect(notes_two).to_have_value("From the gym: balance better.")
        notes_two.fill("From the gym: balance better.\nFrom the desk: pain 4/10.")
        two.get_by_role("button", name="Save session").click()
        expect(two.get_by_text("Session 1 was updated.")).to_be_visible()
    finally:
        first.close()
        second.close()
    db.session.expire_all()
    notes = db.session.get(TherapySession, session_id).notes
    assert "balance better" in notes and "pain 4/10" in notes
    db.session.commit()
