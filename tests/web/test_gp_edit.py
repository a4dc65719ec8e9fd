"""Correcting a GP of the practice's list (issue 15): any therapist, compare-and-swap, audited."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.factories import make_gp, make_patient, make_user
from tests.web.clinical import post_form
from therapy.extensions import db
from therapy.models import AuditEvent, GeneralPractitioner
from therapy.models.enums import AuditAction, Role


def _gp_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Dr. J.",
        "voorvoegsel": "van",
        "family_name": "Dijk",
        "practice_name": "Gezondheidscentrum Lombok",
        "address": "Kanaalstraat 10",
        "postcode": "3531cj",
        "city": "Utrecht",
        "phone": "030 111 22 33",
        "email": "praktijk@lombok.example.nl",
        "agb_code": "0111 2222",
        "version": "1",
    }
    data.update(overrides)
    return data


@pytest.fixture
def gp(app) -> GeneralPractitioner:
    found = make_gp(name="Dr. J.", family_name="Dyk", practice_name="Lombok", city="Utrecht")
    db.session.commit()
    return found


def _fresh(gp_id: int) -> GeneralPractitioner:
    db.session.expire_all()
    found = db.session.get(GeneralPractitioner, gp_id)
    assert found is not None
    return found


def test_a_therapist_corrects_the_gp_and_the_change_is_audited(client, login, gp) -> None:
    therapist = make_user()
    make_patient(therapist, gp_id=gp.id)
    db.session.commit()
    login(therapist)
    listing = client.get("/patients/gps")
    assert listing.status_code == 200 and "Dr. J. Dyk" in listing.text
    url = f"/patients/gps/{gp.id}/edit"
    form = client.get(url).text
    assert 'value="Dyk"' in form and 'name="version"' in form
    response = post_form(client, url, _gp_data(), follow_redirects=True)
    assert response.status_code == 200
    assert "The details of Dr. J. van Dijk were saved." in response.text
    saved = _fresh(gp.id)
    assert (saved.family_name, saved.address, saved.postcode, saved.agb_code, saved.version) == (
        "Dijk",
        "Kanaalstraat 10",
        "3531 CJ",
        "01112222",
        2,
    )
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "general_practitioner")
    ).one()
    assert event.action == AuditAction.UPDATE and event.object_id == gp.id
    assert event.user_id == therapist.id
    # The trail names what changed, never the values.
    assert "family_name" in event.detail and "postcode" in event.detail
    assert "Kanaalstraat" not in event.detail


def test_the_patient_page_links_to_the_gp_form(client, login, gp) -> None:
    therapist = make_user()
    patient = make_patient(therapist, gp_id=gp.id)
    db.session.commit()
    login(therapist)
    page = client.get(f"/patients/{patient.id}").text
    assert f"/patients/gps/{gp.id}/edit" in page


def test_a_stale_form_never_overwrites_and_keeps_the_typed_text(client, login, gp) -> None:
    login(make_user())
    url = f"/patients/gps/{gp.id}/edit"
    assert post_form(client, url, _gp_data(family_name="First")).status_code == 302
    response = post_form(client, url, _gp_data(family_name="Second tab"))
    assert response.status_code == 200
    assert "this record was changed while you were editing" in response.text
    assert 'value="Second tab"' in response.text
    assert _fresh(gp.id).family_name == "First"
    # Without a version the edit is refused the same way.
    missing = _gp_data(family_name="No version")
    del missing["version"]
    assert "this record was changed while you were editing" in post_form(client, url, missing).text
    assert _fresh(gp.id).family_name == "First"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("agb_code", "1234", "An AGB code is eight digits"),
        ("postcode", "35311", "A Dutch postcode is four digits and two letters"),
        ("email", "not an address", "Enter an address such as name@example.nl"),
        ("family_name", "", "Give the GP&#39;s name."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_kept(
    client, login, gp, field: str, value: str, message: str
) -> None:
    login(make_user())
    data = _gp_data(**{field: value})
    if field == "family_name":
        data["name"] = ""
    response = post_form(client, f"/patients/gps/{gp.id}/edit", data)
    assert response.status_code == 200 and message in response.text
    assert 'value="Kanaalstraat 10"' in response.text  # the rest of the typing is kept
    saved = _fresh(gp.id)
    assert (saved.family_name, saved.version) == ("Dyk", 1)


def test_an_unknown_gp_is_a_404_and_the_administrator_is_sent_away(client, login, gp) -> None:
    login(make_user())
    assert client.get("/patients/gps/999999/edit").status_code == 404
    assert client.get("/patients/gps/99999999999/edit").status_code == 404
    admin_client = login(
        make_user(Role.PRACTICE_ADMIN), test_client=client.application.test_client()
    )
    assert admin_client.get(f"/patients/gps/{gp.id}/edit").status_code == 302
    assert admin_client.get("/patients/gps").status_code == 302


def test_the_gp_form_speaks_dutch(client, login, gp) -> None:
    therapist = make_user(language="nl")
    db.session.commit()
    login(therapist)
    page = client.get(f"/patients/gps/{gp.id}/edit").text
    assert "Huisarts Dr. J. Dyk bewerken" in page and "Huisarts opslaan" in page
