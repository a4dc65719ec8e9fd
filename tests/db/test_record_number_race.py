"""Record numbers given out side by side stay unique (finding 9): the counter on the practice
row is counted up in each creating transaction, so two at once take turns, on both databases."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import _make_app
from tests.factories import make_user
from therapy.extensions import db
from therapy.models import Patient, Practice
from therapy.models.enums import Sex
from therapy.services.patients.details import PatientDetails, create_patient

WORKERS = 4
EACH = 5


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """An app whose SQLite writers wait their turn as in production (15 s busy timeout)."""
    app = _make_app(database_url, tmp_path / "instance")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_patients_added_at_the_same_moment_get_different_numbers(app: Flask) -> None:
    db.session.add(Practice(name="Samen Sterk"))
    therapists = [make_user().id for _ in range(WORKERS)]
    db.session.commit()
    start = threading.Barrier(WORKERS)
    failures: list[BaseException] = []

    def add_patients(therapist_id: int) -> None:
        with app.app_context():
            try:
                start.wait()
                for n in range(EACH):
                    details = PatientDetails(
                        given_name=f"T{therapist_id}-{n}",
                        family_name="Tegelijk",
                        date_of_birth=date(1980, 1, 1),
                        sex=Sex.MALE,
                    )
                    create_patient(therapist_id, details)
                    db.session.commit()
            except BaseException as error:  # reported below, with the numbers
                failures.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=add_patients, args=(t,)) for t in therapists]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    db.session.expire_all()
    numbers = list(db.session.scalars(select(Patient.record_number)))
    assert len(numbers) == WORKERS * EACH
    assert sorted(numbers) == [f"SS-{n:05d}" for n in range(1, WORKERS * EACH + 1)]
    assert db.session.scalar(select(Practice.record_sequence)) == WORKERS * EACH
