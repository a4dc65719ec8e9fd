"""Migrations: `upgrade head` builds exactly the models' schema, and down/up round-trips."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from tests.conftest import _make_app, postgres_url
from therapy.extensions import db


@pytest.fixture
def empty_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A brand-new, empty database (a scratch PostgreSQL database is created and dropped)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    server = make_url(postgres_url())
    name = f"migration_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _schema_differences(app: Flask) -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, db.metadata))


def test_upgrade_head_produces_exactly_the_models_schema(empty_database: str, tmp_path: Path):
    app = _make_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade()
        assert _schema_differences(app) == []
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        db.engine.dispose()


def test_downgrade_to_base_and_upgrade_again(empty_database: str, tmp_path: Path) -> None:
    app = _make_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert _schema_differences(app) == []
        db.engine.dispose()


def _row_counts() -> dict[str, int]:
    names = [name for name in inspect(db.engine).get_table_names() if name != "alembic_version"]
    with db.engine.connect() as connection:
        return {
            name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()  # noqa: S608
            for name in names
        }


def test_every_migration_upgrades_a_populated_database_without_losing_rows(
    empty_database: str, tmp_path: Path
) -> None:
    from alembic.script import ScriptDirectory

    from tests import figures
    from tests.factories import populate_every_table

    app = _make_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade()
        populate_every_table()
        db.session.commit()
        assert all(count > 0 for count in _row_counts().values())
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        later = [rev for rev in script.walk_revisions() if rev.down_revision is not None]
        lost: list[str] = []
        for revision in later:  # newest first: each step goes one migration further back
            downgrade(revision=str(revision.down_revision))
            before = _row_counts()
            upgrade()
            after = _row_counts()
            lost += [
                f"{revision.revision}: {name} {count} -> {after.get(name)}"
                for name, count in before.items()
                if after.get(name) != count
            ]
            downgrade(revision=str(revision.down_revision))
        db.session.remove()
        db.engine.dispose()
    assert not lost, lost
    figures.report(
        "migrations",
        f"migrations: {len(later)} on a populated database, {len(lost)} rows lost",
    )


def test_the_language_migration_keeps_names_whole_and_old_practices_english(
    empty_database: str, tmp_path: Path
) -> None:
    """0010 splits a stored "de Vries" into voorvoegsel and surname (a letter reads the same)
    and leaves a practice that existed before languages English."""
    app = _make_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade(revision="3c1f0e2a7d54")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO practice (name, address, phone, phq15_sd, "
                    "phq15_alpha, phq15_mcid, psfs_mcid, is_demo, created_at) "
                    "VALUES ('P', '', '', 4, 0.8, 3, 2, false, CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO user_account (email, full_name, role, profession, "
                    "registration_number, password_hash, is_active, session_token, "
                    "created_at, password_changed_at, must_change_password) VALUES "
                    "('t@p.nl', 'T', 'therapist', 'physical_therapist', '', 'x', true, 's', "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, false)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO general_practitioner (name, practice_name, "
                    "address, postcode, city, phone, email, agb_code, created_at) VALUES "
                    "('Dr. J. van Dijk', '', '', '', '', '', '', '', CURRENT_TIMESTAMP)"
                )
            )
            for number, family in (("A", "de Vries"), ("B", "Van Dijk"), ("C", "van der Berg")):
                connection.execute(
                    text(
                        "INSERT INTO patient (therapist_id, record_number, given_name, "
                        "family_name, date_of_birth, sex, education_level, address, phone, "
                        "email, other_symptoms, created_at, updated_at, version) VALUES "
                        "(1, :n, 'Jan', :f, '1980-01-01', 'male', 'unknown', '', '', '', '', "
                        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
                    ),
                    {"n": number, "f": family},
                )
        upgrade()
        from therapy.models import GeneralPractitioner, Patient, Practice

        assert db.session.scalar(select(Practice.language)) == "en_GB"
        names = {
            p.record_number: (p.voorvoegsel, p.family_name, p.full_name, p.sorted_name)
            for p in db.session.scalars(select(Patient))
        }
        assert names == {
            "A": ("de", "Vries", "Jan de Vries", "Vries, Jan de"),
            "B": ("", "Van Dijk", "Jan Van Dijk", "Van Dijk, Jan"),
            "C": ("van der", "Berg", "Jan van der Berg", "Berg, Jan van der"),
        }
        gp = db.session.scalar(select(GeneralPractitioner))
        assert (gp.name, gp.voorvoegsel, gp.family_name, gp.full_name) == (
            "Dr. J.",
            "van",
            "Dijk",
            "Dr. J. van Dijk",
        )
        db.session.add(Practice(name="New"))
        db.session.commit()
        assert db.session.scalar(select(Practice.language).where(Practice.name == "New")) == "en_GB"
        db.session.remove()
        db.engine.dispose()


def test_the_record_number_migration_keeps_every_number_and_starts_the_counter(
    empty_database: str, tmp_path: Path
) -> None:
    """i19_record_numbers: typed numbers stay as they were; the first number given out after
    it passes over one already held in the new scheme; down and up again keep the patients."""
    app = _make_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade(revision="i14_appointments")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO practice (name, address, phone, phq15_sd, phq15_alpha, "
                    "phq15_mcid, psfs_mcid, is_demo, created_at) VALUES "
                    "('Samen Sterk', '', '', 4, 0.8, 3, 2, false, CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO user_account (email, full_name, role, profession, "
                    "registration_number, password_hash, is_active, session_token, "
                    "created_at, password_changed_at, must_change_password) VALUES "
                    "('t@p.nl', 'T', 'therapist', 'physical_therapist', '', 'x', true, 's', "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, false)"
                )
            )
            for number in ("P-1001", "ΑΒΓ-1", "SS-00001"):
                connection.execute(
                    text(
                        "INSERT INTO patient (therapist_id, record_number, given_name, "
                        "family_name, date_of_birth, sex, education_level, address, phone, "
                        "email, other_symptoms, created_at, updated_at, version) VALUES "
                        "(1, :n, 'Jan', 'Jansen', '1980-01-01', 'male', 'unknown', '', '', '', "
                        "'', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
                    ),
                    {"n": number},
                )
        upgrade()
        from therapy.models import Patient, Practice
        from therapy.services.patients.record_numbers import next_record_number

        numbers = set(db.session.scalars(select(Patient.record_number)))
        assert numbers == {"P-1001", "ΑΒΓ-1", "SS-00001"}
        practice = db.session.scalar(select(Practice))
        assert (practice.record_prefix, practice.record_sequence) == ("", 0)
        assert next_record_number() == "SS-00002"  # the initials; the held number passed over
        db.session.commit()
        downgrade(revision="i14_appointments")
        upgrade()
        assert set(db.session.scalars(select(Patient.record_number))) == numbers
        db.session.remove()
        db.engine.dispose()


def test_the_gp_version_and_void_migration_keeps_rows_and_refuses_to_drop_a_void(
    empty_database: str, tmp_path: Path
) -> None:
    """i15_gp_version_and_void on a populated database: every GP gets version 1, nothing is
    voided; afterwards a voided PHQ-15 leaves room for its retake on the same day, and going
    back is refused while a void would be lost."""
    from sqlalchemy.exc import IntegrityError

    from tests.factories import populate_every_table
    from therapy.models import GeneralPractitioner, Phq15Administration, User

    app = _make_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade()
        populate_every_table()
        db.session.commit()
        downgrade(revision="i14_text_snippets")
        before = _row_counts()
        upgrade()
        assert _row_counts() == before
        assert set(db.session.scalars(select(GeneralPractitioner.version))) == {1}
        administrations = list(db.session.scalars(select(Phq15Administration)))
        assert administrations and all(a.voided_at is None for a in administrations)
        assert {a.void_reason for a in administrations} == {""}

        first = administrations[0]
        retake = {
            column.key: getattr(first, column.key)
            for column in Phq15Administration.__table__.columns
            if column.key not in ("id", "voided_at", "voided_by_id", "void_reason")
        }
        # One counted PHQ-15 per timepoint and day.
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.add(Phq15Administration(**retake))
        therapist_id = db.session.scalar(select(User.id).limit(1))
        first.voided_at, first.voided_by_id = first.created_at, therapist_id
        first.void_reason = "Answered by the partner"
        db.session.add(Phq15Administration(**retake))  # the voided one leaves room
        db.session.commit()
        db.session.remove()
        # From this migration itself (later ones go back first, in a transaction of their own).
        downgrade(revision="i15_gp_version_and_void")

        db.session.remove()
        downgrade(revision="i15_gp_version_and_void")  # the later migrations, no void of theirs
        with pytest.raises(SystemExit):  # Flask-Migrate's exit after the migration's refusal
            downgrade(revision="i14_text_snippets")
        db.session.remove()
        with db.engine.connect() as connection:
            assert connection.execute(
                text("SELECT version_num FROM alembic_version")
            ).scalar_one() == ("i15_gp_version_and_void")
        db.engine.dispose()


def test_the_checkin_and_rating_void_migration_keeps_rows_and_refuses_to_drop_a_void(
    empty_database: str, tmp_path: Path
) -> None:
    """i13_void_checkin_and_rating on a populated database: nothing is voided; afterwards a
    voided check-in or rating leaves room for a new one of the same session, and going back is
    refused while a void would be lost."""
    from sqlalchemy.exc import IntegrityError

    from tests.factories import populate_every_table
    from therapy.models import AllianceCheckin, GoalRating, User

    app = _make_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade()
        populate_every_table()
        db.session.commit()
        downgrade(revision="i15_gp_version_and_void")
        before = _row_counts()
        upgrade()
        assert _row_counts() == before
        checkins = list(db.session.scalars(select(AllianceCheckin)))
        ratings = [r for r in db.session.scalars(select(GoalRating)) if r.session_id is not None]
        assert checkins and ratings
        assert all(row.voided_at is None and row.void_reason == "" for row in checkins + ratings)

        def copy(row: object, model: type) -> object:
            keep = {
                column.key: getattr(row, column.key)
                for column in model.__table__.columns
                if column.key not in ("id", "voided_at", "voided_by_id", "void_reason")
            }
            return model(**keep)

        checkin, rating = checkins[0], ratings[0]
        for row, model in ((checkin, AllianceCheckin), (rating, GoalRating)):
            # One counted check-in per session, one counted rating per goal and session.
            with pytest.raises(IntegrityError), db.session.begin_nested():
                db.session.add(copy(row, model))
        therapist_id = db.session.scalar(select(User.id).limit(1))
        for row, model in ((checkin, AllianceCheckin), (rating, GoalRating)):
            with pytest.raises(IntegrityError), db.session.begin_nested():
                row.voided_at = row.created_at  # a void says who and why
                db.session.flush()
            row.voided_at, row.voided_by_id = row.created_at, therapist_id
            row.void_reason = "Answered by the partner"
            db.session.add(copy(row, model))  # the voided one leaves room
        db.session.commit()
        assert _row_counts()["alliance_checkin"] == before["alliance_checkin"] + 1

        db.session.remove()
        with pytest.raises(SystemExit):  # Flask-Migrate's exit after the migration's refusal
            downgrade(revision="i15_gp_version_and_void")
        with db.engine.connect() as connection:
            # Still at or after the void migration (PostgreSQL rolls the whole downgrade back,
            # SQLite keeps the later steps it already undid).
            assert connection.execute(
                text("SELECT version_num FROM alembic_version")
            ).scalar_one() in ("i13_void_checkin_and_rating", "i18_foreign_key_indexes")
            voided = connection.execute(
                text("SELECT count(*) FROM goal_rating WHERE voided_at IS NOT NULL")
            ).scalar_one()
        assert voided == 1
        db.engine.dispose()
