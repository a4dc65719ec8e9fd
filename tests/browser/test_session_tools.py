"""Tools of the clinic day in the browser: a snippet typed with the keyboard (short name, then
Tab) and a formulation factor added in its grid cell without leaving the page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.conftest import browser_login
from tests.factories import make_episode, make_patient, make_session, make_snippet, make_user
from therapy.extensions import db
from therapy.models import FormulationEntry

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


def test_the_grid_adds_a_factor_in_place(app: Flask, live_server: str, page: Page) -> None:
    therapist = make_user()
    episode = make_episode(make_patient(therapist), started_on=date.today() - timedelta(days=30))
    session = make_session(episode, 1)
    db.session.commit()
    session_id = session.id
    url = f"/patients/{episode.patient_id}/episodes/{episode.id}/formulation"
    browser_login(page, live_server, therapist)
    page.goto(url)
    loads: list[str] = []
    page.on("framenavigated", lambda frame: loads.append(frame.url))
    page.locator("#add-cognitive-perpetuating summary").click()
    page.fill("#text-cognitive-perpetuating", "Thinks rest is the only cure")
    page.locator("#add-cognitive-perpetuating [type=submit]").click()
    expect(page.locator(".formulation-grid")).to_contain_text("Thinks rest is the only cure")
    expect(page.locator(".flashes")).to_contain_text("The factor has been added")
    expect(page.locator("#add-cognitive-perpetuating summary")).to_be_focused()
    assert loads == [], "the page itself was not left"
    db.session.expire_all()
    entry = db.session.scalar(select(FormulationEntry))
    db.session.commit()
    assert entry is not None and entry.session_id == session_id
