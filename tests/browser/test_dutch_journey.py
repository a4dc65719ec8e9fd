"""A Dutch therapist logs a session in Chromium: every label, hint and message in Dutch.

The screenshots (test-artifacts/dutch-*.png) are there to be looked at by someone who reads
Dutch: the session form as typed, and the episode page afterwards.
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, make_episode_in_treatment
from therapy.extensions import db
from therapy.models import Practice, User

pytestmark = pytest.mark.browser


def test_a_session_logged_in_dutch(page: Page, log_in_as, artifacts, app) -> None:
    db.session.add(Practice(name="Praktijk Voorbeeldstad", language="nl"))
    episode = make_episode_in_treatment(date.today())
    therapist = db.session.get(User, episode.therapist_id)
    patient, email = episode.patient, therapist.email
    patient.given_name, patient.voorvoegsel, patient.family_name = "Marloes", "de", "Vries"
    db.session.commit()
    episode_url = f"/patients/{patient.id}/episodes/{episode.id}"
    db.session.remove()

    log_in_as(email, PASSWORD)
    expect(page.get_by_role("heading", name="Vandaag,")).to_be_visible()  # the start page
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn patiënten"
    ).click()
    expect(page.get_by_role("link", name="Vries, Marloes de")).to_be_visible()
    page.goto(episode_url)
    page.get_by_role("link", name="Behandeling vastleggen").click()
    expect(page.get_by_role("heading", name="Behandeling 1")).to_be_visible()
    page.get_by_label("Duur (minuten)").fill("50")
    expect(page.get_by_text("Buiten de 30–45 minuten van het protocol")).to_be_visible()
    page.get_by_label("Duur (minuten)").fill("45")
    page.get_by_label("Klachten sinds de vorige keer").fill("Iets minder moe dan vorige week.")
    page.locator("#education-minutes").fill("10")
    page.locator("#body-minutes").fill("15")
    page.locator("#cognitive-minutes").fill("10")
    page.locator("#activating-minutes").fill("10")
    expect(page.locator("#minutes-total")).to_have_text("Onderdelen: 45 van 45 minuten")
    page.get_by_role("checkbox", name="Uitleg over de klachten").check()
    page.get_by_role("checkbox", name="Ademhalingsoefeningen").check()
    page.locator("#goals-0-score").fill("5")
    page.get_by_label("Ik voelde me gehoord en gerespecteerd").fill("8")
    page.get_by_label("We hebben gewerkt aan wat ik wilde").fill("7")
    page.get_by_label("De aanpak past bij mij").fill("8")
    page.get_by_role("textbox", name="Huiswerkoefeningen").fill("Twee keer per dag ademhalen.")
    page.screenshot(path=str(artifacts / "dutch-session-form.png"), full_page=True)
    page.get_by_role("button", name="Behandeling opslaan").click()

    expect(page.get_by_text("Behandeling 1 is opgeslagen.")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "nl"
    page.goto(episode_url)
    # The PSFS went from 3 at intake to 5: a decimal comma, and the change in words.
    expect(page.get_by_text("3,0").first).to_be_visible()
    expect(page.get_by_text("5,0").first).to_be_visible()
    page.screenshot(path=str(artifacts / "dutch-episode.png"), full_page=True)
    body = page.locator("main").inner_text()
    for english in ("Session 1", "Log a session", "PSFS mean", "Nothing to report", "minutes"):
        assert english not in body, english
