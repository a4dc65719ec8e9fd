"""On a tablet (768 x 1024) in Dutch: the therapist hands the device over, the patient answers
a PHQ-15 and the check-in, and the therapist then sees the scored result and the alliance
alert. Screenshots (test-artifacts/self-report-*.png) are there to be read by a Dutch reader.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import browser_login
from tests.factories import PASSWORD, make_full_episode, make_patient, make_session, make_user
from therapy.extensions import db
from therapy.models import Practice
from therapy.services.phq15 import scoring

pytestmark = pytest.mark.browser
TABLET = {"width": 768, "height": 1024}
# The patient's answers, item by item (None: left out; "na": item 4 not applicable).
ANSWERS = [2, 1, 2, "na", None, 2, 0, 1, 0, 1, 1, 0, 1, 2, None]
WORDS = {0: "Geen last", 1: "Een beetje last", 2: "Veel last", "na": "Niet van toepassing"}


AXE = Axe()  # axe-core, bundled with the package (no download)


def _axe(page: Page, name: str) -> list[str]:
    """Every WCAG rule axe-core finds broken on the page, as "page: rule (elements) help"."""
    violations = AXE.run(page).response["violations"]
    return [f"{name}: {v['id']} ({len(v['nodes'])}) {v['help']}" for v in violations]


def _small_targets(page: Page, selector: str) -> list[str]:
    """Every visible target of the selector smaller than 44 x 44 CSS pixels."""
    small = []
    for handle in page.locator(selector).all():
        box = handle.bounding_box()
        if box and (box["width"] < 44 or box["height"] < 44):
            small.append(f"{selector}: {box['width']:.0f}x{box['height']:.0f}")
    return small


def test_a_patient_answers_on_a_handed_over_tablet(
    chromium: Browser, live_server: str, artifacts
) -> None:
    db.session.add(Practice(name="Praktijk Voorbeeldstad", language="nl"))
    therapist = make_user()
    patient = make_patient(therapist, given_name="Marloes", voorvoegsel="de", family_name="Vries")
    episode = make_full_episode(patient)
    session = make_session(episode, number=4)
    db.session.commit()
    episode_url = f"{live_server}/patients/{patient.id}/episodes/{episode.id}"
    session_id = str(session.id)
    context = chromium.new_context(viewport=TABLET, has_touch=True, locale="nl-NL")
    page = context.new_page()
    try:
        browser_login(page, live_server, therapist)
        page.goto(episode_url)
        page.get_by_role("link", name="Vraag de patiënt").click()
        page.select_option("#phq15_timepoint", "end_of_treatment")
        page.select_option("#checkin_session_id", session_id)
        page.select_option("#language", "nl")
        page.screenshot(path=str(artifacts / "self-report-ask.png"), full_page=True)
        page.get_by_role("button", name="Vraag de patiënt").click()

        # The patient's screen: the first name only, nothing of the therapist's pages.
        expect(page.get_by_text("Hallo Marloes,")).to_be_visible()
        expect(page.get_by_text("Vries")).to_have_count(0)
        expect(page.get_by_role("button", name="Uitloggen")).to_have_count(0)
        assert page.locator("html").get_attribute("lang") == "nl"
        for number, answer in enumerate(ANSWERS, start=1):
            if answer is not None:
                page.locator(f"#item_{number:02d}").get_by_text(WORDS[answer], exact=True).click()
        small = _small_targets(page, "label.answer") + _small_targets(page, "button, .button")
        assert small == []
        broken = _axe(page, "phq15")
        page.screenshot(path=str(artifacts / "self-report-phq15.png"), full_page=True)
        page.get_by_role("button", name="Volgende").click()

        expect(page.get_by_role("heading", name="Terugblik op de behandeling")).to_be_visible()
        for field, rating in (("bond", "8"), ("goals", "4"), ("tasks", "7")):
            page.locator(f"#{field}").get_by_text(rating, exact=True).click()
        page.get_by_label("Is er iets wat u in de behandeling niet hebt gezegd?").fill(
            "Het ging wat snel."
        )
        assert _small_targets(page, "label.rating__choice") == []
        broken += _axe(page, "check-in")
        page.screenshot(path=str(artifacts / "self-report-checkin.png"), full_page=True)
        page.get_by_role("button", name="Volgende").click()

        expect(
            page.get_by_role("heading", name="Controleer uw antwoorden en verstuur ze")
        ).to_be_visible()
        expect(page.get_by_text("Niet beantwoord")).to_have_count(2)
        broken += _axe(page, "review")
        page.screenshot(path=str(artifacts / "self-report-review.png"), full_page=True)
        page.get_by_role("button", name="Mijn antwoorden versturen").click()

        expect(page.get_by_role("heading", name="Dank u wel")).to_be_visible()
        broken += _axe(page, "thanks")
        assert broken == [], broken  # axe-clean, as the patient's pages must be
        page.screenshot(path=str(artifacts / "self-report-thanks.png"), full_page=True)
        # Walking away changes nothing: the caseload stays refused without the password.
        page.goto(f"{live_server}/")
        expect(page.get_by_text("Dit apparaat wordt gebruikt voor een vragenlijst")).to_be_visible()
        page.get_by_role("link", name="Voor de therapeut").click()
        page.get_by_label("Wachtwoord van de therapeut").fill(PASSWORD)
        page.get_by_role("button", name="Terug naar mijn pagina's").click()
        page.wait_for_url(episode_url)

        # The therapist's side: scored by the same rules, marked as the patient's, and the
        # goals rating of 4 raises the alliance alert.
        expected = scoring.score(ANSWERS, "female")
        page.goto(f"{episode_url}/phq15")
        row = page.locator("tr", has_text="Einde behandeling")
        expect(row).to_contain_text(str(expected.total))
        expect(row).to_contain_text("door de patiënt ingevuld op een apparaat van de praktijk")
        page.screenshot(path=str(artifacts / "self-report-phq15-result.png"), full_page=True)
        page.goto(f"{live_server}/")
        expect(page.locator(".badge--alliance").first).to_be_visible()
        expect(page.get_by_text("Antwoorden van de patiënt binnen").first).to_be_visible()
        page.screenshot(path=str(artifacts / "self-report-caseload.png"), full_page=True)
    finally:
        context.close()


def test_the_accessibility_check_notices_a_field_without_a_label(chromium: Browser) -> None:
    context = chromium.new_context()
    page = context.new_page()
    page.set_content('<html lang="nl"><title>t</title><main><h1>t</h1><input></main></html>')
    assert [line.split(" ")[1] for line in _axe(page, "bare")] == ["label"]
    context.close()
