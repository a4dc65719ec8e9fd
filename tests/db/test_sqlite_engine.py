"""SQLite is configured for a web server with several workers (SECURITY.md)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

from tests.conftest import _make_app
from therapy.extensions import db
from therapy.models import User


@pytest.fixture
def sqlite_app(tmp_path: Path):
    app = _make_app(f"sqlite:///{tmp_path / 'web.db'}", tmp_path / "instance")
    with app.app_context():
        upgrade()
        yield app, tmp_path / "web.db"
        db.session.remove()
        db.engine.dispose()


def test_every_connection_gets_the_server_pragmas(sqlite_app) -> None:
    with db.engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }
    # synchronous: 2 means FULL.
    assert pragmas == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 15000,
        "synchronous": 2,
    }


def test_foreign_keys_are_enforced(sqlite_app) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"):
        db.session.execute(
            text("INSERT INTO patient_symptom (patient_id, symptom) VALUES (999, 'fatigue')")
        )
    db.session.rollback()


def test_a_transaction_holds_the_write_lock_from_its_first_statement(sqlite_app) -> None:
    _app, path = sqlite_app
    # Only a read so far; with a deferred BEGIN another writer could still get in first and
    # make our later write fail at once with "database is locked".
    db.session.execute(select(User)).all()
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        db.session.rollback()
        other.execute("BEGIN IMMEDIATE")  # free again once our transaction ended
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_readers_outside_the_app_are_not_blocked_by_a_writer(sqlite_app) -> None:
    _app, path = sqlite_app
    db.session.execute(
        text(
            "INSERT INTO practice (name, address, phone, phq15_sd, phq15_alpha, "
            "phq15_mcid, psfs_mcid, is_demo, created_at) VALUES "
            "('P', '', '', 4.0, 0.8, 3, 2.0, 0, '2026-01-01 00:00:00')"
        )
    )
    reader = sqlite3.connect(path, timeout=0)
    try:
        # WAL: the uncommitted row is invisible, and reading does not wait for the writer.
        assert reader.execute("SELECT count(*) FROM practice").fetchone() == (0,)
    finally:
        reader.close()
    db.session.commit()
