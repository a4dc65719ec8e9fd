"""The patient's BSN: checked with the 11-test, masked on every screen, kept unless retyped."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import make_patient, make_user
from tests.web.clinical import patient_data, post_form
from therapy.extensions import db
from therapy.models import Patient


@pytest.fixture
def therapist(app):
    user = make_user()
    db.session.commit()
    return user


def _patient() -> Patient:
    """The patient of patient_data(): the one added, or the one edited to that name."""
    db.session.expire_all()
    return db.session.scalar(select(Patient).where(Patient.given_name == "Marieke"))


def test_a_typed_bsn_is_stored_as_nine_digits_and_shown_masked(client, login, therapist):
    login(therapist)
    response = post_form(
        client,
        "/patients/new",
        patient_data(bsn="1112.22.333", insurer="Zilveren Kruis", insurance_number="Z-778"),
        follow_redirects=True,
    )
    patient = _patient()
    assert (patient.bsn, patient.insurer, patient.insurance_number) == (
        "111222333",
        "Zilveren Kruis",
        "Z-778",
    )
    assert "••••••333" in response.text and "Zilveren Kruis" in response.text
    for page in (response.text, client.get(f"/patients/{patient.id}/edit").text):
        assert "111222333" not in page and "1112.22.333" not in page and "111222" not in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("123456789", "it fails the 11-test"),
        ("1112223334", "this number has another length"),
        ("abc", "A BSN is nine digits"),
    ],
)
def test_a_wrong_bsn_is_refused_with_a_reason_and_the_form_kept(
    client, login, therapist, typed, message
):
    login(therapist)
    response = post_form(client, "/patients/new", patient_data(bsn=typed))
    assert response.status_code == 200
    assert message in response.text
    assert 'value="Marieke"' in response.text  # nothing typed is lost
    assert _patient() is None


def test_editing_keeps_the_bsn_unless_it_is_retyped_or_removed(client, login, therapist):
    patient = make_patient(therapist, record_number="P-1001", bsn="111222333")
    db.session.commit()
    login(therapist)
    url = f"/patients/{patient.id}/edit"
    edit = client.get(url).text
    assert "Recorded: ••••••333" in edit
    data = patient_data(version=str(patient.version))
    assert post_form(client, url, data).status_code == 302
    assert _patient().bsn == "111222333"  # left empty: kept
    post_form(client, url, data | {"bsn": "123456782", "version": str(_patient().version)})
    assert _patient().bsn == "123456782"
    post_form(client, url, data | {"remove_bsn": "y", "version": str(_patient().version)})
    assert _patient().bsn is None


def test_one_person_one_record(client, login, therapist):
    make_patient(make_user(), record_number="P-0001", bsn="111222333")
    db.session.commit()
    login(therapist)
    response = post_form(client, "/patients/new", patient_data(bsn="111 222 333"))
    assert "already recorded for another patient of the practice" in response.text
    assert _patient() is None
