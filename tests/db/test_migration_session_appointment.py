"""i14b_session_appointment on a database that holds data: every session and appointment is
kept, no session is linked yet; afterwards one session per appointment, and a deleted
appointment empties the link instead of taking the session with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import _make_app
from tests.db.test_migrations import _row_counts, empty_database  # noqa: F401 (a fixture)
from therapy.extensions import db

BEFORE = "i15_gp_version_and_void"


def _sessions() -> list[tuple[int, int, object]]:
    from therapy.models import TherapySession

    return list(
        db.session.execute(
            select(TherapySession.id, TherapySession.number, TherapySession.held_on).order_by(
                TherapySession.id
            )
        ).tuples()
    )


def test_the_session_appointment_migration_keeps_rows_and_links_one_session_each(
    empty_database: str,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
) -> None:
    from tests.factories import make_session, populate_every_table
    from therapy.models import Appointment, TherapySession

    app = _make_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade()
        populate_every_table()
        db.session.commit()
        linked = db.session.scalars(
            select(TherapySession.id).where(TherapySession.appointment_id.is_not(None))
        ).all()
        assert linked  # the populated database holds a session logged for its appointment
        sessions = _sessions()
        db.session.remove()

        downgrade(revision=BEFORE)
        before = _row_counts()
        upgrade()
        assert _row_counts() == before
        assert _sessions() == sessions  # every session, as it was
        assert set(db.session.scalars(select(TherapySession.appointment_id))) == {None}

        # One session per appointment; sessions without one are as many as there are.
        session = db.session.get(TherapySession, sessions[0][0])
        appointment = db.session.scalar(
            select(Appointment).where(Appointment.episode_id == session.episode_id).limit(1)
        )
        session.appointment_id = appointment.id
        db.session.commit()
        episode = session.episode
        with pytest.raises(IntegrityError), db.session.begin_nested():
            make_session(episode, 90, appointment_id=appointment.id)
        make_session(episode, 91)
        make_session(episode, 92)
        db.session.commit()

        # The appointment deleted (its episode's record destroyed, say): the session stays.
        db.session.execute(text("DELETE FROM appointment WHERE id = :id"), {"id": appointment.id})
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(TherapySession, session.id).appointment_id is None
        db.session.remove()

        downgrade(revision=BEFORE)  # going back drops the links only
        assert _row_counts()["therapy_session"] == before["therapy_session"] + 2
        db.session.remove()
        db.engine.dispose()
