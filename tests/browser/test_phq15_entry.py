"""PHQ-15 in a real browser: quick entry fills the radios, the provisional total, the save."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from tests.browser.conftest import browser_login
from tests.factories import make_episode, make_patient, make_user
from tests.web.phq15_forms import index_url, new_url
from therapy.extensions import db
from therapy.models import Phq15Administration
from therapy.models.enums import Phq15Rule, Sex
from therapy.services.phq15 import scoring as phq15
from therapy.services.phq15.words import band_label

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CODE_TO_ANSWER = {"0": 0, "1": 1, "2": 2, "n": "na", "x": None}


@pytest.fixture
def setup(app):
    therapist = make_user()
    man = make_patient(therapist, sex=Sex.MALE, given_name="Pieter", family_name="Jansen")
    woman = make_patient(therapist, sex=Sex.FEMALE, given_name="Sanne", family_name="Bakker")
    episodes = {Sex.MALE: make_episode(man), Sex.FEMALE: make_episode(woman)}
    # Plain values only: touching an expired ORM object later would open a transaction
    # and take SQLite's write lock away from the server thread.
    ids = {sex: (episode.patient_id, episode.id) for sex, episode in episodes.items()}
    email = therapist.email
    db.session.commit()
    return email, ids


def _log_in(page: Page, base: str, email: str) -> None:
    browser_login(page, base, email)
    expect(page.locator("h1")).to_contain_text("Today")  # the start page after login


def _checked(page: Page, number: int) -> str:
    return page.locator(f'input[name="item_{number:02d}"]:checked').get_attribute("value") or ""


def test_quick_entry_running_total_and_stored_total(page: Page, setup, live_server: str) -> None:
    email, ids = setup
    _log_in(page, live_server, email)
    page.goto(live_server + new_url(*ids[Sex.MALE]))
    assert _checked(page, 4) == "na"  # pre-set for a man
    running = page.locator("#phq15-running-total")
    expect(page.locator("#phq15-running")).to_be_visible()

    # 2+2+2 + N/A + 1+1+1+1 + 0 x5 + missing + 0: 10 on 13 answered of 14 applicable,
    # 10 x 14 / 13 = 10.77 -> 11 out of 28, medium, prorated; three 2s raise the flag.
    page.locator("#quick").press_sequentially("222n 1111 00000 x0")
    expect(running).to_have_text(
        "Total 11 out of 28 · Medium · prorated: 1 missing · 3 items bothered a lot (3 or more)"
    )
    assert [_checked(page, n) for n in (1, 4, 5, 9, 14, 15)] == ["2", "na", "1", "0", "", "0"]

    # A click on a radio corrects item 5 to 2 and rewrites the quick entry:
    # 11 on 13 answered -> 11 x 14 / 13 = 11.85 -> 12.
    page.locator('label:has(input[name="item_05"][value="2"])').click()
    expect(page.locator("#quick")).to_have_value("222n211100000.0")
    expect(running).to_have_text(
        "Total 12 out of 28 · Medium · prorated: 1 missing · 4 items bothered a lot (3 or more)"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phq15-form.png"), full_page=True)

    page.click("#submit")
    expect(page.locator(".flash--success")).to_have_text("PHQ-15 saved: total 12 out of 28.")
    row = page.locator(".phq15-table tbody tr").first
    expect(row).to_contain_text("12 out of 28")
    expect(row).to_contain_text("Medium 10–14")
    expect(row).to_contain_text(
        "Prorated: 1 item missing, 13 of 14 answered, rounded half up; item 4 not applicable"
    )
    expect(row).to_contain_text("Flag: 4 items bothered a lot (3 or more)")
    expect(page.locator(".phq15-baseline .band--large")).to_contain_text("Medium")
    expect(page.locator(".phq15-chart svg")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "phq15-results.png"), full_page=True)

    db.session.rollback()
    stored = db.session.scalars(select(Phq15Administration)).one()
    db.session.rollback()  # release SQLite's lock for the server thread
    assert (stored.total, stored.rule) == (12, Phq15Rule.PRORATED)
    assert stored.answers() == [2, 2, 2, "na", 2, 1, 1, 1, 0, 0, 0, 0, 0, None, 0]


def _expected(codes: str, sex: Sex) -> str:
    """The running total's first part, from the server's scoring module."""
    result = phq15.score([CODE_TO_ANSWER[c] for c in codes], sex.value)
    if result.total is None:
        return f"Incomplete: {result.missing} items missing, no total"
    return f"Total {result.total} out of {result.maximum} · {band_label(result.band)}"


def test_browser_total_matches_the_server_rules(page: Page, setup, live_server: str) -> None:
    email, ids = setup
    _log_in(page, live_server, email)
    rng = random.Random(15)  # repeatable test vectors
    fixed = [
        *("x11111110000000", "xxx110000000000", "xxx111111111100", "xx0n11111111100"),
        *("xxxx22211111111", "222222222222222", "000000000000000", "111x11111111111"),
    ]
    for sex, (patient_id, episode_id) in ids.items():
        page.goto(live_server + new_url(patient_id, episode_id))
        quick, running = page.locator("#quick"), page.locator("#phq15-running-total")
        randoms = [
            "".join(rng.choice("0000111122x") if n != 3 else rng.choice("012nx") for n in range(15))
            for _ in range(20)
        ]
        for codes in fixed + randoms:
            quick.fill(codes)
            text = running.text_content() or ""
            assert text.startswith(_expected(codes, sex)), (sex, codes, text)
        # The labels' language was read from the database in this thread: end that
        # transaction, or SQLite's write lock holds up the page's own requests (session.js
        # asks the server every 30 seconds whether the login is locked).
        db.session.commit()


def test_form_works_without_javascript(browser: Browser, setup, live_server: str) -> None:
    email, ids = setup
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _log_in(page, live_server, email)
    page.goto(live_server + new_url(*ids[Sex.FEMALE]))
    expect(page.locator("#phq15-running")).to_be_hidden()
    # Ten items bothered a little by clicking, the rest not at all: 10, medium.
    for number in range(1, 16):
        value = "1" if number <= 10 else "0"
        page.locator(f'label:has(input[name="item_{number:02d}"][value="{value}"])').click()
    page.click("#submit")
    expect(page.locator(".flash--success")).to_have_text("PHQ-15 saved: total 10.")
    expect(page).to_have_url(re.compile(re.escape(index_url(*ids[Sex.FEMALE])) + "$"))
    context.close()
