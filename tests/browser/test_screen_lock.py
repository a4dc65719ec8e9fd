"""The screen lock in Chromium: mid-form, every tab of the login, nothing typed lost."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.conftest import browser_login
from tests.browser.test_session_warning import _age_session
from tests.factories import PASSWORD, make_episode_in_treatment, make_session
from therapy.extensions import db
from therapy.models import TherapySession

pytestmark = pytest.mark.browser
TODAY = date.today()
NOTE = "Shoulders dropped after the body scan; she cried for the first time."
EXERCISES = "Body scan, ten minutes a day"


def test_the_lock_covers_every_tab_mid_form_and_unlocking_loses_nothing(
    app: Flask, live_server: str, chromium, artifacts
) -> None:
    episode = make_episode_in_treatment(TODAY)
    make_session(episode, 1, held_on=TODAY - timedelta(2))
    patient = episode.patient
    name, user, user_id = patient.family_name, episode.therapist, episode.therapist_id
    new = f"{live_server}/patients/{patient.id}/episodes/{episode.id}/sessions/new"
    db.session.commit()
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    browser_login(page, live_server, user)
    other = context.new_page()  # a second tab of the same login, on the caseload
    other.goto(f"{live_server}/")
    expect(other.get_by_text(name)).to_be_visible()
    page.clock.install()
    page.goto(new)
    page.get_by_role("textbox", name="Notes", exact=True).fill(NOTE)
    page.get_by_role("textbox", name="Home exercises").fill(EXERCISES)
    with page.expect_response(lambda response: "/drafts" in response.url):
        page.clock.fast_forward(31_000)  # the autosave of what was typed, then nobody types

    _age_session(user_id, 16)
    with page.expect_response(lambda response: "keep-alive" in response.url) as asked:
        page.clock.fast_forward("16:00")
    assert asked.value.json()["locked"] is True
    lock = page.locator("#screen-lock")
    expect(lock).to_be_visible()
    expect(page.locator("main")).to_be_hidden()
    expect(page.get_by_text(name)).to_be_hidden()
    assert name not in page.title()
    expect(page.locator("#screen-lock-password")).to_be_focused()
    page.screenshot(path=str(artifacts / "screen-lock.png"))
    # The other tab locks at once (BroadcastChannel), and its server refuses it anyway.
    expect(other.locator("#screen-lock")).to_be_visible()
    expect(other.locator("main")).to_be_hidden()
    assert other.request.get(f"{live_server}/").status == 423

    page.locator("#screen-lock-password").fill("not my password")
    page.locator("#screen-lock-unlock").click()
    expect(page.locator("#screen-lock-error")).to_have_text("This password is not correct.")
    expect(lock).to_be_visible()
    page.locator("#screen-lock-password").fill(PASSWORD)
    page.locator("#screen-lock-unlock").click()  # no code from the phone
    expect(lock).to_be_hidden()
    expect(page.get_by_role("textbox", name="Notes", exact=True)).to_have_value(NOTE)
    expect(page.get_by_role("textbox", name="Home exercises")).to_have_value(EXERCISES)
    expect(other.locator("#screen-lock")).to_be_hidden()
    expect(other.get_by_text(name)).to_be_visible()
    page.screenshot(path=str(artifacts / "screen-lock-unlocked.png"))

    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session 2 was saved.")).to_be_visible()
    db.session.expire_all()
    saved = db.session.scalar(select(TherapySession).where(TherapySession.number == 2))
    assert saved is not None and saved.notes == NOTE and saved.home_exercises == EXERCISES
    db.session.commit()
    context.close()


def test_without_javascript_the_server_shows_the_lock_and_returns_to_the_page(
    app: Flask, live_server: str, chromium
) -> None:
    episode = make_episode_in_treatment(TODAY)
    patient, user = episode.patient, episode.therapist
    name, user_id = patient.family_name, episode.therapist_id
    page_url = f"{live_server}/patients/{patient.id}"
    db.session.commit()  # and no expired object touched after this: SQLite's write lock
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    browser_login(page, live_server, user)
    _age_session(user_id, 16)
    response = page.goto(page_url)
    assert response is not None and response.status == 423
    expect(page.get_by_role("heading", name="Screen locked")).to_be_visible()
    assert name not in page.content()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Unlock").click()
    page.wait_for_url(page_url)
    expect(page.get_by_text(name).first).to_be_visible()
    context.close()
