"""The amendment migration upgrades (and downgrades) a database full of data, losing no row."""

from __future__ import annotations

from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from tests import figures
from tests.factories import make_full_episode, make_gp, make_patient, make_user
from therapy.extensions import db
from therapy.models import Amendment, AuditEvent, Practice
from therapy.models.enums import AuditAction

BEFORE = "6d254ae7987e"  # the initial schema
AMENDMENT = "9fa95f426893"


def _counts() -> dict[str, int]:
    names = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    counts = {}
    for table in db.metadata.sorted_tables:
        if table.name in names:
            counts[table.name] = db.session.scalar(select(func.count()).select_from(table)) or 0
    db.session.commit()
    return counts


def _populate() -> int:
    therapist = make_user()
    gp = make_gp()
    patient = make_patient(therapist, gp_id=gp.id)
    episode = make_full_episode(patient, sessions=3)
    db.session.add(Practice(name="Practice"))
    db.session.add(
        AuditEvent(
            action=AuditAction.READ,
            patient_id=patient.id,
            prev_hash="0" * 64,
            row_hash="1" * 64,
            user_id=therapist.id,
        )
    )
    episode_id = episode.id  # read before the commit: a later refresh would hold the lock
    db.session.commit()
    return episode_id


def test_amendment_migration_on_a_populated_database(app: Flask) -> None:
    db.session.remove()
    downgrade(revision=BEFORE)
    assert "amendment" not in inspect(db.engine).get_table_names()
    episode_id = _populate()
    before = _counts()
    assert all(before.values()), f"every table should hold data first: {before}"

    upgrade(revision=AMENDMENT)
    assert _counts() == {**before, "amendment": 0}
    author = (
        db.session.scalar(select(Practice.id))
        and db.session.execute(text("SELECT id FROM user_account LIMIT 1")).scalar_one()
    )
    db.session.add(Amendment(episode_id=episode_id, author_id=author, text="Correction."))
    db.session.commit()
    assert _counts()["amendment"] == 1

    downgrade(revision=BEFORE)
    assert _counts() == before
    upgrade()
    figures.report(
        "migrations",
        f"migrations: 2 on a populated database ({len(before)} tables, "
        f"{sum(before.values())} rows), 0 rows lost",
    )
