"""Reads run beside a writer, and a read that writes after another's commit still lands once.

SQLite: a read that names no patient begins deferred, so it does not queue behind another
worker's write lock; if it then writes (a search on the audit trail) after another connection
committed, SQLite refuses at once and the request runs again holding the write lock from the
start (therapy.database.engine.reads_first, therapy.database.lock_retry). A patient's page
always writes its read, so it takes the lock from the start. PostgreSQL: reads never wait on
writers, and a read that writes simply commits.
"""

from __future__ import annotations

import sqlite3
import time

import pytest
from sqlalchemy import create_engine, event, func, select, text

from tests.conftest import IsolatedClient, _make_app
from tests.db.locks import HOLD_SECONDS, another_writer_holding_the_lock
from tests.factories import make_patient, make_user
from therapy.extensions import db
from therapy.models import AuditEvent
from therapy.models.enums import AuditAction


@pytest.fixture
def reader_app(database_url, tmp_path):
    # As in production, a request counts as activity at most every 20 s (a write), so an
    # ordinary page view writes nothing; errors reach the error handler, as in production.
    app = _make_app(
        database_url,
        tmp_path / "instance",
        SQLITE_BUSY_TIMEOUT_MS=250,
        PROPAGATE_EXCEPTIONS=False,
        SESSION_TOUCH_SECONDS=20,
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_a_read_does_not_wait_for_another_writers_lock(
    reader_app, login, backend, database_url
) -> None:
    therapist = make_user()
    make_patient(therapist, family_name="Readable")
    db.session.commit()
    client = login(therapist, test_client=reader_app.test_client())
    with another_writer_holding_the_lock(backend, database_url):
        started = time.monotonic()
        response = client.get("/")
        waited = time.monotonic() - started
    assert response.status_code == 200
    assert "Readable" in response.text
    assert waited < HOLD_SECONDS * 0.5, f"the caseload waited {waited:.2f} s for a writer"


def _commit_elsewhere(url: str, user_id: int) -> None:
    """Another worker's write, committed (a real change: SQLite skips one that changes nothing)."""
    statement = "UPDATE user_account SET full_name = full_name || '.' WHERE id = ?"
    if url.startswith("sqlite"):
        other = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        other.execute(statement, (user_id,))
        other.close()
        return
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(statement.replace("?", ":id")), {"id": user_id})
    engine.dispose()


def test_a_search_after_another_commit_lands_once_on_the_trail(
    reader_app, login, backend, database_url
) -> None:
    therapist, colleague = make_user(), make_user()
    make_patient(therapist, family_name="Findable")
    db.session.flush()
    colleague_id = colleague.id
    db.session.commit()
    client = login(therapist, test_client=reader_app.test_client())
    db.session.close()  # the test's own connection holds nothing while the request runs
    begins: list[str] = []
    interfered = []

    def watch(_conn, _cursor, statement, _params, _context, _many) -> None:
        if statement.startswith("BEGIN"):
            begins.append(statement)
        elif statement.startswith("SELECT") and "FROM patient" in statement and not interfered:
            interfered.append(True)  # between this read and the audit row, another commit
            _commit_elsewhere(database_url, colleague_id)

    with reader_app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", watch)
    try:
        response = client.get("/?q=Findable")
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    assert response.status_code == 200
    assert interfered
    db.session.expire_all()
    assert "Findable" in response.text
    searches = db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action == AuditAction.SEARCH)
    )
    assert searches == 1  # on record, and only once
    if backend == "sqlite":
        # The first attempt read deferred and was refused its write; the second held the lock.
        assert begins[0] == "BEGIN"
        assert "BEGIN IMMEDIATE" in begins[1:]


def test_a_patient_page_takes_the_write_lock_from_the_start(reader_app, login, backend) -> None:
    """Its read goes on the audit trail every time: waiting its turn beats running twice."""
    therapist = make_user()
    patient = make_patient(therapist)
    db.session.flush()
    patient_id = patient.id
    db.session.commit()
    client = login(therapist, test_client=reader_app.test_client())
    db.session.close()
    begins: list[str] = []

    def watch(_conn, _cursor, statement, *_rest) -> None:
        if statement.startswith("BEGIN"):
            begins.append(statement)

    with reader_app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", watch)
    try:
        assert client.get(f"/patients/{patient_id}").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    if backend == "sqlite":
        assert begins == ["BEGIN IMMEDIATE"]
    else:
        assert all(statement != "BEGIN IMMEDIATE" for statement in begins)
