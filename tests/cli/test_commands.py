"""`flask users create` and `flask seed-demo`."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import func, select

from tests.factories import make_user
from therapy.extensions import db
from therapy.models import Appointment, Patient, Phq15Administration, TreatmentEpisode, User
from therapy.models.enums import EpisodeStatus, Role
from therapy.services.accounts.passwords import verify_password
from therapy.services.phq15 import scoring as phq15


def test_users_create_makes_an_account_with_an_argon2_hash(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "New@Practice.example",
            "--name",
            "Nieuwe Therapeut",
            "--profession",
            "exercise_therapist",
            "--password-stdin",
        ],
        input="a long enough passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "new@practice.example"))
    assert user is not None and user.role == Role.THERAPIST
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "a long enough passphrase")
    # The person typed it themselves at the console: nobody else knows it.
    assert user.must_change_password is False


def test_users_create_refuses_a_short_password_and_a_duplicate(app: Flask) -> None:
    runner = app.test_cli_runner()
    base = ["users", "create", "--name", "X", "--profession", "physical_therapist"]
    short = runner.invoke(
        args=[*base, "--email", "a@p.example", "--password-stdin"], input="short\n"
    )
    assert short.exit_code != 0 and "at least 12" in short.output
    existing = make_user()
    db.session.commit()
    duplicate = runner.invoke(
        args=[*base, "--email", existing.email, "--password-stdin"], input="long enough pass\n"
    )
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output


def test_there_is_no_default_account(app: Flask) -> None:
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_seed_demo_fills_an_empty_database_with_every_stage(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "eva@demo.example" in result.output and "demo-practice-2026" in result.output
    therapists = db.session.scalars(select(User).where(User.role == Role.THERAPIST)).all()
    assert len(therapists) == 2
    assert db.session.scalar(select(func.count(Patient.id))) >= 10
    # Each therapist's start page has today's patients on it, in the practice's time order.
    today = db.session.scalars(select(Appointment).where(Appointment.planned_on == date.today()))
    assert {a.created_by_id for a in today} == {t.id for t in therapists}
    statuses = set(db.session.scalars(select(TreatmentEpisode.status)))
    assert statuses == {EpisodeStatus.INTAKE, EpisodeStatus.ACTIVE, EpisodeStatus.CLOSED}
    # Stored PHQ-15 totals are what the scoring rules give for the stored answers.
    for administration in db.session.scalars(select(Phq15Administration)):
        patient = administration.episode.patient
        assert administration.total == phq15.score(administration.answers(), patient.sex).total


def test_seed_demo_is_idempotent_and_refuses_real_data(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "already here" in again.output
    assert db.session.scalar(select(func.count(User.id))) == 3


def test_seed_demo_never_touches_a_real_database(app: Flask) -> None:
    make_user()
    db.session.commit()
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code != 0 and "real data" in refused.output
    quiet = runner.invoke(args=["seed-demo", "--if-empty"])
    assert quiet.exit_code == 0
    assert db.session.scalar(select(func.count(Patient.id))) == 0
