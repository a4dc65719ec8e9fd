"""In Chromium: a therapist records and grants a destruction request; the administrator confirms."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser_login
from tests.factories import make_user
from tests.marked_record import make_marked_record
from therapy.extensions import db
from therapy.models import Patient
from therapy.models.enums import Role

pytestmark = pytest.mark.browser


def test_destruction_in_two_steps_by_two_people(app, live_server: str, chromium, artifacts) -> None:
    therapist = make_user(full_name="Eva de Vries")
    admin = make_user(Role.PRACTICE_ADMIN, full_name="Ada Beheer")
    record = make_marked_record(therapist)
    db.session.commit()
    patient_id, number, name = record.patient.id, record.patient.record_number, record.family_name

    context = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    browser_login(page, live_server, therapist)
    page.goto(f"/patients/{patient_id}")
    page.get_by_role("link", name="Copy for the patient").click()
    expect(page.get_by_role("heading", name="Copy for the patient")).to_be_visible()
    page.screenshot(path=str(artifacts / "record-copy.png"), full_page=True)
    page.goto(f"/patients/{patient_id}")
    page.get_by_role("link", name="Destruction on request").click()
    page.get_by_label("Date of the request").fill("2026-11-30")
    page.get_by_label("The patient", exact=True).check()
    page.locator("#other_interest-1").check()
    page.locator("#legal_duty-1").check()
    page.get_by_label("Grant: destroy the whole record").check()
    page.get_by_label("Reason for the decision").fill("Asked in writing; no exception applies.")
    page.screenshot(path=str(artifacts / "record-destruction-request.png"), full_page=True)
    page.get_by_role("button", name="Record the request and decision").click()
    expect(page.get_by_text("The request is granted.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Waiting for the practice administrator")
    ).to_be_visible()
    context.close()

    context = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    browser_login(page, live_server, admin)
    page.get_by_role("link", name="Record destruction").click()
    expect(page.get_by_text(f"Record {number}")).to_be_visible()
    page.screenshot(path=str(artifacts / "record-destruction-register.png"), full_page=True)
    page.get_by_label("Record number").first.fill(number)
    page.get_by_role("button", name="Confirm and destroy the record").click()
    expect(page.get_by_text("The record was destroyed.")).to_be_visible()
    expect(page.get_by_text(name)).to_have_count(0)
    page.screenshot(path=str(artifacts / "record-destruction-done.png"), full_page=True)
    page.get_by_role("link", name="Records past their retention period").click()
    expect(page.get_by_role("heading", name="Records past their retention period")).to_be_visible()
    context.close()
    db.session.expire_all()
    assert db.session.get(Patient, patient_id) is None
