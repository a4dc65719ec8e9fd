"""Patient create and edit: demographics, GP (existing or new), symptoms, compare-and-swap."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_gp, make_patient, make_user
from tests.web.clinical import patient_data, post_form
from therapy.extensions import db
from therapy.models import GeneralPractitioner, Patient
from therapy.models.enums import RobbinsSymptom, Role


@pytest.fixture
def therapist(app):
    user = make_user()
    db.session.commit()
    return user


def _added() -> Patient | None:
    """The patient the form of patient_data() added, if it did."""
    db.session.expire_all()
    return db.session.scalar(select(Patient).where(Patient.given_name == "Marieke"))


def test_new_patient_lands_on_my_caseload_with_symptoms(client, login, therapist) -> None:
    other = make_user()
    db.session.commit()
    login(therapist)
    response = post_form(
        client, "/patients/new", patient_data(therapist_id=str(other.id)), follow_redirects=True
    )
    assert response.status_code == 200
    assert "Marieke van den Berg was added to your caseload" in response.text
    patient = _added()
    assert patient is not None
    assert patient.therapist_id == therapist.id  # a posted therapist_id is ignored
    assert {s.symptom for s in patient.main_symptoms} == {
        RobbinsSymptom.FATIGUE,
        RobbinsSymptom.HEADACHES,
    }
    assert patient.symptom_intensity == 7
    assert "Oudegracht 1" in patient.address and "3511 AA Utrecht" in patient.address
    assert "New patient" in client.get("/").text


def test_existing_gp_is_chosen_from_the_list(client, login, therapist) -> None:
    gp = make_gp(name="Dr. A. Bakker")
    db.session.commit()
    login(therapist)
    page = client.get("/patients/new").text
    assert "Dr. A. Bakker" in page
    post_form(client, "/patients/new", patient_data(gp=str(gp.id)))
    assert _added().gp_id == gp.id


def test_a_new_gp_is_added_inline_in_the_same_form(client, login, therapist) -> None:
    login(therapist)
    post_form(
        client,
        "/patients/new",
        patient_data(
            gp="new", new_gp_name="Dr. K. de Wit", new_gp_city="Zeist", new_gp_agb="01234567"
        ),
    )
    patient = _added()
    gp = db.session.get(GeneralPractitioner, patient.gp_id)
    assert (gp.name, gp.city, gp.agb_code) == ("Dr. K. de Wit", "Zeist", "01234567")


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"given_name": "   "}, "This is needed."),
        ({"sex": ""}, "Choose one."),
        ({"sex": "robot"}, "Not a valid choice"),
        ({"date_of_birth": ""}, "Enter a date."),
        ({"date_of_birth": "31-12-1980"}, "Enter a real date"),
        ({"date_of_birth": "1899-12-31"}, "cannot be before 1900"),
        ({"date_of_birth": (date.today() + timedelta(days=2)).isoformat()}, "in the future"),
        ({"symptom_intensity": "11"}, "Enter a whole number from 0 to 10."),
        ({"symptom_intensity": "-1"}, "Enter a whole number from 0 to 10."),
        ({"symptom_intensity": "seven"}, "Enter a whole number from 0 to 10."),
        ({"email": "not-an-address"}, "name@example.nl"),
        ({"gp": "new"}, "Give the new GP's name"),
        ({"gp": "", "new_gp_name": "Dr. X"}, "choose “A new GP”"),
        ({"gp": "new", "new_gp_name": "Dr. X", "new_gp_agb": "12ab"}, "eight digits"),
        ({"gp": "999999"}, "Not a valid choice"),
        ({"main_symptoms": ["fatigue", "hiccups"]}, "not a valid choice"),
        ({"family_name": "x" * 101}, "Keep this under 100 characters."),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_the_rest_stays(
    client, login, therapist, overrides, field_message
) -> None:
    login(therapist)
    response = post_form(client, "/patients/new", patient_data(**overrides))
    assert response.status_code == 200
    assert field_message in response.text
    assert "Nothing has been saved yet" in response.text
    assert 'value="Marieke"' in response.text or overrides.get("given_name") == "   "
    assert "Tight jaw" in response.text  # the typed text stays
    assert _added() is None


def test_edit_saves_and_bumps_the_version(client, login, therapist) -> None:
    patient = make_patient(therapist, record_number="R-1")
    db.session.commit()
    login(therapist)
    url = f"/patients/{patient.id}/edit"
    page = client.get(url).text
    assert 'name="version"' in page and 'value="1"' in page
    response = post_form(client, url, patient_data(family_name="Jansen", version="1"))
    assert response.status_code == 302
    db.session.expire_all()
    assert (patient.family_name, patient.version) == ("Jansen", 2)


def test_edit_from_a_stale_form_never_overwrites(client, login, therapist) -> None:
    patient = make_patient(therapist, record_number="R-1", family_name="Original")
    db.session.commit()
    login(therapist)
    url = f"/patients/{patient.id}/edit"
    post_form(client, url, patient_data(family_name="First", version="1"))
    response = post_form(client, url, patient_data(family_name="Second tab", version="1"))
    assert response.status_code == 200
    assert "this record was changed while you were editing" in response.text
    assert 'value="Second tab"' in response.text
    db.session.expire_all()
    assert patient.family_name == "First"


def test_edit_without_a_version_is_refused_as_stale(client, login, therapist) -> None:
    patient = make_patient(therapist, record_number="R-1", family_name="Original")
    db.session.commit()
    login(therapist)
    response = post_form(client, f"/patients/{patient.id}/edit", patient_data())
    assert "this record was changed while you were editing" in response.text
    db.session.expire_all()
    assert patient.family_name == "Original"


def test_an_edit_keeps_the_record_number_whatever_is_posted(client, login, therapist) -> None:
    make_patient(therapist, record_number="TAKEN")
    patient = make_patient(therapist, record_number="R-1")
    db.session.commit()
    login(therapist)
    url = f"/patients/{patient.id}/edit"
    assert "Record number: R-1" in client.get(url).text
    assert 'name="record_number"' not in client.get(url).text
    response = post_form(client, url, patient_data(record_number="TAKEN", version="1"))
    assert response.status_code == 302  # saved; the posted number was no field of the form
    db.session.expire_all()
    assert (patient.record_number, patient.family_name) == ("R-1", "van den Berg")


def test_practice_admin_is_sent_away_from_the_patient_form(client, login) -> None:
    admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    login(admin)
    response = client.get("/patients/new")
    assert response.status_code == 302


def test_patient_page_lists_episodes_with_links(client, login, therapist) -> None:
    from tests.factories import make_episode

    patient = make_patient(therapist)
    episode = make_episode(patient)
    db.session.commit()
    login(therapist)
    page = client.get(f"/patients/{patient.id}").text
    assert f"/patients/{patient.id}/episodes/{episode.id}" in page
    assert f"/patients/{patient.id}/edit" in page
    # An open episode exists, so no second intake is offered.
    assert f"/patients/{patient.id}/episodes/new" not in page
