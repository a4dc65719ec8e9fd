"""A form that comes back with errors puts the focus on the summary; its links reach the fields."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, make_user
from therapy.extensions import db

pytestmark = pytest.mark.browser


def test_focus_lands_on_the_summary_and_a_link_focuses_its_field(page: Page, log_in_as) -> None:
    email = make_user().email
    db.session.commit()
    db.session.remove()  # hold no database lock while the browser works
    log_in_as(email, PASSWORD)
    page.goto("/patients/new")
    page.locator("#email").fill("not an address")
    page.get_by_role("button", name="Save patient").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Given name")
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("#given_name")).to_be_focused()
    # A group of radio buttons is a fieldset: its first option takes the focus.
    summary.get_by_role("link", name="Sex: Choose one.").click()
    expect(page.locator("#sex-0")).to_be_focused()
