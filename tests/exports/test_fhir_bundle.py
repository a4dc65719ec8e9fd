"""A whole episode through the FHIR R4 export and back: every number equals the database's."""

from __future__ import annotations

import base64
import hashlib
import json
from collections import defaultdict

import pytest
from fhir.resources.bundle import Bundle
from flask import Flask

from tests.exports.seed import PDF, seed_treatment
from therapy.exports.fhir import codes as c
from therapy.exports.fhir.bundle import patient_bundle
from therapy.exports.fhir.validate import FhirValidationError, ResourceValidator
from therapy.extensions import db
from therapy.models import GoalRating, Patient, Phq15Administration, TherapySession
from therapy.models.phq15 import ITEM_COLUMNS

BASE = "https://practice.example/fhir"


def _read(bundle: dict) -> dict[str, list]:
    """Parse the Bundle as a reader would (text in, models out), resources by type."""
    parsed = Bundle.parse_raw(json.dumps(bundle))
    by_type: dict[str, list] = defaultdict(list)
    for entry in parsed.entry:
        by_type[entry.resource.resource_type].append(entry.resource)
        assert entry.fullUrl == f"{BASE}/{entry.resource.resource_type}/{entry.resource.id}"
    return by_type


def _extension(resource, url: str):
    return [e for e in (resource.extension or []) if e.url == url]


def test_a_whole_episode_round_trips_with_the_database_numbers(app: Flask) -> None:
    seeded = seed_treatment()
    db.session.get(Patient, seeded.patient_id).bsn = "111222333"
    db.session.commit()
    resources = _read(patient_bundle(seeded.patient_id, BASE))

    (patient,) = resources["Patient"]
    bsn = [
        i.value for i in patient.identifier if i.system == "http://fhir.nl/fhir/NamingSystem/bsn"
    ]
    assert bsn == ["111222333"]
    assert patient.name[0].family == "Jansen" and patient.birthDate.isoformat() == "1975-06-15"
    assert patient.gender == "female"
    assert {p.id for p in resources["Practitioner"]} >= {
        f"practitioner-{seeded.therapist.id}",
        patient.generalPractitioner[0].reference.split("/")[1],
    }
    (episode,) = resources["EpisodeOfCare"]
    assert episode.status == "finished"
    assert episode.period.start.isoformat() == seeded.episode.started_on.isoformat()
    assert episode.period.end.isoformat() == seeded.episode.closed_on.isoformat()

    # Sessions: one Encounter each, with the minutes per element as entered.
    sessions = db.session.query(TherapySession).filter_by(episode_id=seeded.episode.id).all()
    encounters = {e.id: e for e in resources["Encounter"]}
    assert len(encounters) == len(sessions) == 4
    for session in sessions:
        encounter = encounters[f"encounter-{session.id}"]
        minutes = {
            next(x for x in ext.extension if x.url == "element").valueCoding.code: next(
                x for x in ext.extension if x.url == "minutes"
            ).valueQuantity.value
            for ext in _extension(encounter, c.ELEMENT_MINUTES_EXTENSION)
        }
        assert minutes == {
            "education": session.education_minutes,
            "body": session.body_minutes,
            "cognitive": session.cognitive_minutes,
            "activating": session.activating_minutes,
        }
        number = _extension(encounter, c.SESSION_NUMBER_EXTENSION)[0].valuePositiveInt
        assert number == session.number
        assert encounter.status == ("finished" if session.attended else "cancelled")
        if session.duration_minutes is None:
            assert encounter.length is None
        else:
            assert encounter.length.value == session.duration_minutes
            assert encounter.length.code == "min"

    # PHQ-15: the response's answers, and Observations of total, band and each item.
    observations = {o.id: o for o in resources["Observation"]}
    responses = {r.id: r for r in resources["QuestionnaireResponse"]}
    assert len(responses) == 3
    for administration in db.session.query(Phq15Administration).all():
        response = responses[f"phq15-{administration.id}"]
        assert response.questionnaire == "http://loinc.org/q/69728-4"
        answers = {item.linkId: item for item in response.item}
        for number, column in enumerate(ITEM_COLUMNS, start=1):
            loinc = [
                "69671-6",
                "69672-4",
                "69673-2",
                "69674-0",
                "69717-7",
                "69675-7",
                "69676-5",
                "69677-3",
                "69678-1",
                "69679-9",
                "69680-7",
                "69681-5",
                "69682-3",
                "69731-8",
                "69732-6",
            ][number - 1]
            item, observation = answers[loinc], observations[f"{response.id}-item-{number}"]
            assert observation.code.coding[0].code == loinc
            assert observation.derivedFrom[0].reference == f"QuestionnaireResponse/{response.id}"
            value = getattr(administration, column)
            if number == 4 and administration.item_04_not_applicable:
                assert item.answer is None
                assert item.extension[0].valueCode == "not-applicable"
                assert observation.dataAbsentReason.coding[0].code == "not-applicable"
            elif value is None:
                assert item.answer is None and observation.dataAbsentReason.coding[0].code
            else:
                assert item.answer[0].valueInteger == value
                assert observation.valueQuantity.value == value
                assert observation.valueQuantity.code == "{score}"
        total = observations[f"{response.id}-total"]
        assert total.code.coding[0].code == "70273-8"
        assert total.valueQuantity.value == administration.total
        assert total.valueQuantity.system == "http://unitsofmeasure.org"
        assert total.valueQuantity.code == "{score}"
        assert total.method.coding[0].code == administration.rule.value
        assert total.derivedFrom[0].reference == f"QuestionnaireResponse/{response.id}"
        band = observations[f"{response.id}-band"]
        expected_band = {range(0, 5): "minimal", range(5, 10): "low", range(10, 15): "medium"}
        band_name = next((b for r, b in expected_band.items() if administration.total in r), "high")
        assert band.valueCodeableConcept.coding[0].code == band_name
    # The prorated one (two items missing, item 4 not applicable) keeps the stored total.
    during = db.session.get(Phq15Administration, seeded.phq15_ids[1])
    assert during.rule.value == "prorated"
    assert observations[f"phq15-{during.id}-total"].valueQuantity.value == during.total
    assert responses[f"phq15-{during.id}"].encounter.reference.startswith("Encounter/")

    # PSFS: one Observation per occasion: the mean, with each goal's rating as a component.
    goals = {g.id: g for g in resources["Goal"]}
    assert {g.description.text for g in goals.values()} == {"Cycling to work", "Gardening"}
    occasions = sorted(
        (o for o in observations.values() if o.id.startswith("psfs-")),
        key=lambda o: o.effectiveDateTime.isoformat(),
    )
    stored = defaultdict(list)
    for rating in db.session.query(GoalRating).all():
        stored[rating.rated_on.isoformat()].append((f"Goal/goal-{rating.goal_id}", rating.score))
    assert len(occasions) == len(stored) == 3
    for observation in occasions:
        day = observation.effectiveDateTime.isoformat()
        given = sorted(
            (part.extension[0].valueReference.reference, part.valueQuantity.value)
            for part in observation.component
        )
        assert given == sorted(stored[day])
        for reference, _score in given:
            assert reference.split("/")[1] in goals
        scores = [score for _goal, score in stored[day]]
        assert float(observation.valueQuantity.value) == sum(scores) / len(scores)
        assert observation.valueQuantity.code == "{score}"
    assert [float(o.valueQuantity.value) for o in occasions] == [3.5, 5.5, 8.0]
    assert occasions[1].encounter.reference.startswith("Encounter/")

    # The final report: the exact PDF, FHIR's SHA-1 and the stored SHA-256.
    (document,) = resources["DocumentReference"]
    attachment = document.content[0].attachment
    assert base64.b64decode(attachment.data) == PDF
    assert base64.b64decode(attachment.hash) == hashlib.sha1(PDF, usedforsecurity=False).digest()
    assert attachment.extension[0].valueString == hashlib.sha256(PDF).hexdigest()
    assert document.status == "current" and document.docStatus == "final"


def test_no_bsn_identifier_when_none_is_recorded(app: Flask) -> None:
    seeded = seed_treatment()
    db.session.commit()
    (patient,) = _read(patient_bundle(seeded.patient_id, BASE))["Patient"]
    assert [i.system for i in patient.identifier] == [c.RECORD_NUMBER_SYSTEM]


def test_an_unknown_patient_has_no_bundle(app: Flask) -> None:
    assert patient_bundle(424242, BASE) is None


@pytest.mark.parametrize(
    "broken",
    [
        {"resourceType": "Observation", "id": "x", "status": "final"},  # no code
        {
            "resourceType": "Observation",
            "id": "x",
            "status": "final",
            "code": {"text": "a"},
            "valueQuantity": {"value": "many"},
        },
        {"resourceType": "Patient", "id": "patient 1"},
        {
            "resourceType": "Observation",
            "id": "x",
            "status": "final",
            "code": {"text": "a"},
            "valueInteger": 1,
            "valueString": "1",
        },  # two choices of value[x]
        {"resourceType": "Patient", "id": "x", "birthDate": "15-06-1975"},
        {"resourceType": "Patient", "id": "x", "nickname": "Annie"},
        {"resourceType": "Encounter", "id": "x", "status": "finished"},  # no class
    ],
)
def test_the_validator_refuses_what_r4_refuses(broken: dict) -> None:
    with pytest.raises(FhirValidationError):
        ResourceValidator().check(broken)


def _rating(rid: str, when: str, value) -> dict:
    return {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "code": {"text": "PSFS rating"},
        "subject": {"reference": f"Patient/{rid}"},
        "effectiveDateTime": when,
        "valueQuantity": {"value": value},
    }


def test_a_shape_already_validated_is_not_validated_again() -> None:
    validator = ResourceValidator()
    validator.check(_rating("psfs-1", "2026-09-16T10:00:00+00:00", 4))
    validator.check(_rating("psfs-2", "2026-10-01T09:30:00+00:00", 7))
    validator.check(_rating("psfs-33", "2026-12-31T23:59:59+00:00", 10))
    assert (validator.checked, validator.validated) == (3, 1)
    # Another text is another shape: validated through the models again.
    validator.check({**_rating("psfs-4", "2026-09-16T10:00:00+00:00", 4), "code": {"text": "b"}})
    assert validator.validated == 2


@pytest.mark.parametrize(
    ("valid", "broken"),
    [
        (_rating("a" * 64, "2026-09-16", 4), _rating("a" * 65, "2026-09-16", 4)),
        (_rating("x", "2026-09-16", 4), _rating("x", "2026-13-16", 4)),
        (_rating("x", "2026-02-28", 4), _rating("x", "2026-02-30", 4)),
        (_rating("x", "2026-09-16T10:00:00Z", 4), _rating("x", "2026-09-16T25:00:00Z", 4)),
        (_rating("x", "2026-09-16T10:00:00Z", 4), _rating("x", "2026-09-16T10:61:00Z", 4)),
        (_rating("x", "2026-09-16", 4), _rating("x", "2026-09-16", "many")),
        (
            {"resourceType": "Patient", "id": "x", "birthDate": "1975-06-15"},
            {"resourceType": "Patient", "id": "x", "birthDate": "1975-06-15", "nickname": "A"},
        ),
    ],
)
def test_what_shares_a_valid_shapes_outline_but_not_its_values_is_still_refused(
    valid: dict, broken: dict
) -> None:
    validator = ResourceValidator()
    validator.check(valid)
    with pytest.raises(FhirValidationError):
        validator.check(broken)
