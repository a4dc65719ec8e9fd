"""A therapist's snippet typed into the session form with the keyboard: short name, then Tab."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import browser_login
from tests.factories import make_episode, make_patient, make_snippet, make_user
from therapy.extensions import db

pytestmark = pytest.mark.browser


def test_the_short_name_and_tab_insert_the_snippet(
    app: Flask, live_server: str, page: Page
) -> None:
    therapist = make_user()
    make_snippet(therapist, name="ademh", text="Buikademhaling geoefend, 4 tellen in.")
    episode = make_episode(make_patient(therapist), started_on=date.today() - timedelta(days=7))
    db.session.commit()
    url = f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions/new"
    browser_login(page, live_server, therapist)
    page.goto(url)
    field = page.locator("#home_exercises")
    field.click()
    page.keyboard.type("Thuis: ademh")
    page.keyboard.press("Tab")
    expect(field).to_have_value("Thuis: Buikademhaling geoefend, 4 tellen in.")
    expect(field).to_be_focused()  # the Tab inserted; it did not move on
    expect(page.locator("#snippet-status")).to_have_text("Snippet ademh inserted.")
    # After any other word, Tab moves on as always.
    page.keyboard.type(" klaar")
    page.keyboard.press("Tab")
    expect(field).not_to_be_focused()
    expect(field).to_have_value("Thuis: Buikademhaling geoefend, 4 tellen in. klaar")
