"""Record numbers are given by the app in the practice's scheme (finding 9 of the outside test).

The outside test typed another therapist's record number into the new-patient form and was
told it was "already in use in the practice": a way to learn about records every other route
hides. Nobody types a record number any more; the numbers are the practice's prefix and a
counter, unique, and nothing a therapist sees names another caseload's record.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import make_patient, make_user
from tests.web.clinical import patient_data, post_form
from therapy.extensions import db
from therapy.models import Patient, Practice
from therapy.models.enums import Role, Sex
from therapy.services.patients import record_numbers
from therapy.services.patients.details import PatientDetails, create_patient
from therapy.services.patients.record_numbers import derived_prefix, next_record_number


def _practice(name: str = "Praktijk Lichaam en Geest") -> Practice:
    practice = Practice(name=name)
    db.session.add(practice)
    db.session.flush()
    return practice


def _numbers_of(therapist_id: int) -> list[str]:
    db.session.expire_all()
    query = select(Patient.record_number).where(Patient.therapist_id == therapist_id)
    return sorted(db.session.scalars(query.order_by(Patient.id)))


def test_two_caseloads_get_unique_numbers_and_learn_nothing_of_each_other(
    app, login, backend
) -> None:
    _practice()
    anna, bram = make_user(), make_user()
    theirs = make_patient(bram, record_number="PLEG-00003", family_name="Verborgen")
    db.session.commit()
    as_anna = login(anna, test_client=app.test_client())
    as_bram = login(bram, test_client=app.test_client())

    form = as_anna.get("/patients/new").text
    assert 'name="record_number"' not in form
    assert "The record number is given by the practice when you save." in form
    answers = []
    for n in range(3):
        for who, client in (("anna", as_anna), ("bram", as_bram)):
            # What the outside test did: post the other caseload's number as if it were a field.
            data = patient_data(record_number=theirs.record_number, given_name=f"{who}{n}")
            answers.append(post_form(client, "/patients/new", data, follow_redirects=True))
    assert all(answer.status_code == 200 for answer in answers)
    for answer in answers:
        assert "already in use" not in answer.text and "Verborgen" not in answer.text
        assert "was added to your caseload" in answer.text

    numbers = _numbers_of(anna.id) + _numbers_of(bram.id)
    assert len(numbers) == len(set(numbers)) == 7  # Bram's older patient included
    # The practice's initials and a counter; the number already held is passed over.
    assert sorted(numbers) == [f"PLEG-{n:05d}" for n in range(1, 8)]
    # Anna's pages show her own numbers and none of Bram's.
    caseload = as_anna.get("/").text
    assert all(number in caseload for number in _numbers_of(anna.id))
    assert not any(number in caseload for number in _numbers_of(bram.id))


def test_the_new_record_shows_the_number_it_was_given(client, login) -> None:
    _practice("Fysio & Zo")
    therapist = make_user()
    db.session.commit()
    login(therapist)
    added = post_form(client, "/patients/new", patient_data())
    assert added.status_code == 302
    page = client.get(added.headers["Location"]).text
    assert "FZ-00001" in page


def test_the_administrator_sets_the_prefix_for_new_numbers_only(app, client, login) -> None:
    _practice()
    therapist, admin = make_user(), make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    as_therapist = login(therapist, test_client=app.test_client())
    post_form(as_therapist, "/patients/new", patient_data(given_name="Before"))

    login(admin)
    page = client.get("/admin/settings")
    assert 'value="PLEG"' in page.text  # the derived default, shown to change
    settings = {
        "csrf_token": csrf_token_from(page.text),
        "phq15_sd": "4.0",
        "phq15_alpha": "0.80",
        "phq15_mcid": "3",
        "psfs_mcid": "2",
        "language": "en_GB",
    }
    refused = client.post("/admin/settings", data={**settings, "record_prefix": "12-ab"})
    assert refused.status_code == 200
    assert "Use 1 to 8 letters (A–Z) and digits, beginning with a letter" in refused.text
    saved = client.post("/admin/settings", data={**settings, "record_prefix": "lg "})
    assert saved.status_code == 302

    post_form(as_therapist, "/patients/new", patient_data(given_name="After"))
    db.session.expire_all()
    numbers = {p.given_name: p.record_number for p in db.session.scalars(select(Patient))}
    assert numbers == {"Before": "PLEG-00001", "After": "LG-00002"}


def test_without_a_practice_row_numbers_still_start(client, login) -> None:
    therapist = make_user()
    db.session.commit()
    login(therapist)
    assert post_form(client, "/patients/new", patient_data()).status_code == 302
    assert _numbers_of(therapist.id) == ["P-00001"]


@pytest.mark.parametrize(
    ("name", "prefix"),
    [
        ("Praktijk Lichaam en Geest", "PLEG"),
        ("Fysio & Zo", "FZ"),
        ("Ĳsselstein Ökotherapie", "IO"),
        ("", "P"),
        ("123 !!", "P"),
    ],
)
def test_the_default_prefix_is_the_practice_initials(name: str, prefix: str) -> None:
    assert derived_prefix(name) == prefix


def test_a_number_taken_at_the_same_moment_is_tried_again(app, monkeypatch) -> None:
    """The unique index is the last guard: a collision the counter missed is retried once."""
    _practice()
    therapist = make_user()
    make_patient(therapist, record_number="PLEG-00001")
    db.session.commit()
    monkeypatch.setattr(record_numbers, "_taken", lambda number: False)  # the check misses it
    details = PatientDetails(
        given_name="Nieuw", family_name="Patiënt", date_of_birth=date(1980, 1, 1), sex=Sex.FEMALE
    )
    patient = create_patient(therapist.id, details)
    db.session.commit()
    assert patient.record_number == "PLEG-00002"
    assert next_record_number() == "PLEG-00003"


def test_saving_the_prefix_shown_unchanged_keeps_it_derived_from_the_name(app) -> None:
    """A practice still without a name shows the fallback prefix; saving the settings as
    shown must not store it, so the practice's initials apply once its name is filled in."""
    db.session.add(Practice(name=""))
    db.session.commit()
    shown = record_numbers.current_prefix()
    _practice, changed = record_numbers.save_prefix(shown)
    assert not changed
    db.session.scalar(select(Practice)).name = "Samen Sterk"
    db.session.flush()
    assert next_record_number().startswith("SS-")
