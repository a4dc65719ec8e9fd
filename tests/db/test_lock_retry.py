"""SQLite: a request that waited too long for another writer's lock is run again, not a 500."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import func, select

from tests.conftest import _make_app
from tests.factories import make_user
from tests.safety.forms import post_as_browser, rendered_form
from tests.web.clinical import patient_data
from therapy.extensions import db
from therapy.models import Patient


@pytest.fixture
def impatient_app(backend, database_url, tmp_path):
    if backend != "sqlite":
        pytest.skip("PostgreSQL writers wait on rows, never on a database lock")
    from tests.conftest import IsolatedClient

    # As in production, errors reach the error handler instead of the test.
    app = _make_app(
        database_url, tmp_path / "instance", SQLITE_BUSY_TIMEOUT_MS=250, PROPAGATE_EXCEPTIONS=False
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _hold_write_lock(path: str, seconds: float, taken: threading.Event) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    taken.set()
    time.sleep(seconds)
    other.execute("ROLLBACK")
    other.close()


def test_a_locked_save_is_tried_again_and_lands(impatient_app, login, database_url) -> None:
    therapist = make_user()
    db.session.commit()
    client = login(therapist, test_client=impatient_app.test_client())
    tokens = rendered_form(client, "/patients/new")
    db.session.commit()
    taken = threading.Event()
    holder = threading.Thread(
        target=_hold_write_lock, args=(database_url.removeprefix("sqlite:///"), 0.6, taken)
    )
    holder.start()
    taken.wait(5)
    # Each attempt waits 0.25 s for the lock (the busy timeout below), then the request runs
    # again after a pause; the other writer lets go after 0.6 s.
    response = post_as_browser(client, "/patients/new", patient_data(), tokens)
    holder.join()
    assert response.status_code == 302, response.status_code
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Patient.id))) == 1
