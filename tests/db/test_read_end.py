"""A request that only read ends with COMMIT on PostgreSQL, so its prepared statements live on
(therapy.database.read_end); one that wrote anything is still rolled back, on both databases."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select, text, update
from sqlalchemy.exc import IntegrityError

from tests.conftest import IsolatedClient, _make_app
from tests.factories import make_patient, make_user
from therapy.extensions import db
from therapy.models import User


def _copy_of_user(email: str) -> dict:
    user = db.session.scalars(select(User).where(User.email == email)).one()
    columns = {c.key for c in User.__table__.columns} - {"id"}
    return {key: getattr(user, key) for key in columns}


@contextmanager
def transaction_ends() -> Iterator[list[str]]:
    """How each transaction on the app's engine ends, in order: "commit" or "rollback"."""
    ends: list[str] = []

    def commit(_conn) -> None:
        ends.append("commit")

    def rollback(_conn) -> None:
        ends.append("rollback")

    event.listen(db.engine, "commit", commit)
    event.listen(db.engine, "rollback", rollback)
    try:
        yield ends
    finally:
        event.remove(db.engine, "commit", commit)
        event.remove(db.engine, "rollback", rollback)


def test_a_request_that_only_read_commits_on_postgresql(app, backend) -> None:
    make_user(email="reader@example.org")
    db.session.commit()
    with app.test_request_context("/"), transaction_ends() as ends:
        assert db.session.scalar(select(User.email)) == "reader@example.org"
        app.do_teardown_request()
        db.session.remove()
    # SQLite keeps its statement cache whatever ends the transaction: nothing changes there.
    assert ends == (["commit"] if backend == "postgresql" else ["rollback"])


def test_a_request_that_wrote_is_rolled_back_without_its_change(app) -> None:
    make_user(email="kept@example.org")
    db.session.commit()
    with app.test_request_context("/"), transaction_ends() as ends:
        db.session.execute(update(User).values(email="not-saved@example.org"))
        db.session.scalar(select(User.email))  # a read after the write changes nothing
        app.do_teardown_request()
        db.session.remove()
    assert ends == ["rollback"]
    assert db.session.scalar(select(User.email)) == "kept@example.org"


def test_a_failed_request_is_rolled_back_even_if_it_only_read(app) -> None:
    make_user()
    db.session.commit()
    with app.test_request_context("/"), transaction_ends() as ends:
        db.session.scalar(select(User.email))
        app.do_teardown_request(RuntimeError("the page failed"))
        db.session.remove()
    assert ends == ["rollback"]


def test_a_select_that_changes_the_connection_is_rolled_back(app) -> None:
    db.session.commit()
    with app.test_request_context("/"), transaction_ends() as ends:
        # On PostgreSQL a setting made for the session would outlive a COMMIT on the pooled
        # connection; SQLite has no such function, and a plain read stands in for it there.
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("SELECT set_config('application_name', 'leaked', false)"))
        else:
            db.session.execute(text("SELECT sqlite_version()"))
        app.do_teardown_request()
        db.session.remove()
    assert ends == ["rollback"]


def test_a_session_left_failed_by_the_page_ends_quietly(app) -> None:
    """A page that caught a failed flush without rolling back: the end of the request neither
    commits nor raises (the session's removal rolls back, as before)."""
    make_user(email="taken@example.org")
    db.session.commit()
    with app.test_request_context("/"):
        db.session.add(User(**_copy_of_user("taken@example.org")))
        with contextlib.suppress(IntegrityError):
            db.session.flush()
        assert not db.session.is_active
        app.do_teardown_request()
        db.session.remove()
    assert db.session.scalars(select(User.email)).all() == ["taken@example.org"]


def test_a_pending_change_is_not_committed_by_the_end_of_a_read(app) -> None:
    make_user(email="kept@example.org")
    db.session.commit()
    with app.test_request_context("/"):
        user = db.session.scalars(select(User)).one()
        user.email = "typed-never-saved@example.org"  # changed in the session, not flushed
        app.do_teardown_request()
        db.session.remove()
    assert db.session.scalar(select(User.email)) == "kept@example.org"


def test_the_caseloads_change_mark_is_planned_once_per_connection(
    backend, database_url, tmp_path, login
) -> None:
    # One connection in the pool: every request and the check below use the same one.
    app = _make_app(
        database_url,
        tmp_path / "instance",
        SESSION_TOUCH_SECONDS=20,
        SQLALCHEMY_ENGINE_OPTIONS=(
            {"pool_size": 1, "max_overflow": 0} if backend == "postgresql" else {}
        ),
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        therapist = make_user()
        make_patient(therapist, family_name="Planned")
        db.session.commit()
        client = login(therapist, test_client=app.test_client())
        for _ in range(12):  # psycopg prepares at the 5th run, PostgreSQL reuses from the 11th
            page = client.get("/")
            assert page.status_code == 200 and "Planned" in page.text
        if backend == "postgresql":
            plans = db.session.execute(
                text(
                    "SELECT generic_plans FROM pg_prepared_statements "
                    "WHERE statement LIKE '%max(audit_event.id)%'"
                )
            ).scalars()
            # Without the COMMIT each page's ROLLBACK dropped the statement: none was left.
            assert max(plans, default=0) >= 1
        db.session.remove()
        db.engine.dispose()
