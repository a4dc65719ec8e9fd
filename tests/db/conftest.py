"""Fixtures of the database tests."""

from __future__ import annotations

import pytest

from tests.conftest import IsolatedClient, _make_app
from therapy.extensions import db


@pytest.fixture
def impatient_app(database_url, tmp_path):
    # As in production, errors reach the error handler instead of the test; each SQLite
    # attempt waits only 0.25 s for the lock, so the other writer outlasts the first ones.
    app = _make_app(
        database_url, tmp_path / "instance", SQLITE_BUSY_TIMEOUT_MS=250, PROPAGATE_EXCEPTIONS=False
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
