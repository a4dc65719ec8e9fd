"""No model's repr carries patient data: reprs end up in logs and error reports."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from tests.factories import make_full_episode, make_patient, make_user
from therapy.extensions import db


def test_no_repr_contains_names_or_clinical_text(app: Flask) -> None:
    therapist = make_user(full_name="Therapist Secretname")
    patient = make_patient(
        therapist, given_name="Privatus", family_name="Geheimsma", record_number="SECRET-42"
    )
    make_full_episode(patient)
    db.session.commit()
    forbidden = ("Privatus", "Geheimsma", "SECRET-42", "Secretname", "fatigue", "damage", "@")
    checked = 0
    instances = [
        instance
        for mapper in db.Model.registry.mappers
        for instance in db.session.scalars(select(mapper.class_))
    ]
    for instance in instances:
        text = repr(instance)
        assert not any(word in text for word in forbidden), text
        checked += 1
    assert checked >= 10
