"""A failed write's error log shows no statement parameters (finding 3, promise 14).

The error log is what Flask writes for a 500: the exception with its traceback. A failing
insert must not put a password hash, a session token or typed notes into it.
"""

from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from tests.factories import make_user
from therapy.extensions import db
from therapy.models import TherapySession, User, UserSession

HASH = "$argon2id$v=19$m=65536,t=3,p=4$SECRET-HASH-IN-A-FAILED-INSERT"
TOKEN = "f" * 64
NOTES = "Patiënt vertelde over haar scheiding en de nachtmerries"


def _logged(error: BaseException) -> str:
    """The error log's line for this exception, as app.log_exception writes it."""
    record = logging.LogRecord(
        "therapy",
        logging.ERROR,
        __file__,
        1,
        "Exception on /x [POST]",
        None,
        (type(error), error, error.__traceback__),
    )
    return logging.Formatter().format(record)


def _failed_insert(row: object) -> str:
    db.session.add(row)
    with pytest.raises(IntegrityError) as caught:
        db.session.flush()
    db.session.rollback()
    return _logged(caught.value)


def test_a_failed_insert_logs_no_parameters(app) -> None:
    existing = make_user()
    db.session.commit()
    line = _failed_insert(
        User(email=existing.email, full_name="Dup", role=existing.role, password_hash=HASH)
    )
    assert "SQL parameters hidden" in line  # the statement is logged, its values are not
    assert HASH not in line and "Dup" not in line

    line = _failed_insert(
        UserSession(id=TOKEN, user_id=10**6, generation=TOKEN, client_address="192.0.2.1")
    )
    assert TOKEN not in line and "192.0.2.1" not in line

    line = _failed_insert(
        TherapySession(episode_id=10**6, number=1, held_on=date(2026, 1, 5), notes=NOTES)
    )
    assert NOTES not in line and "nachtmerries" not in line
