"""On PostgreSQL a request that only read ends its transaction with COMMIT, not ROLLBACK.

psycopg prepares a statement on a connection once it has run it five times, and PostgreSQL
then plans it once for good (a generic plan) instead of at every run. But psycopg forgets every
statement it prepared on a connection when it sees a ROLLBACK go by (DEALLOCATE ALL), and a
request's transaction that was not committed is rolled back when its session is removed. So
each caseload page, whose reads write no audit event, threw away what every page before it
had prepared, and every statement of every page was planned again at every request: for the
caseload's change mark (27 index lookups in one statement) that is 3 ms of a 5 ms page.

Ending such a transaction with COMMIT instead changes nothing in the database: a transaction
whose every statement was a plain SELECT wrote nothing, and COMMIT releases its locks as
ROLLBACK does. Any other statement in the transaction (an INSERT, UPDATE or DELETE, a flush, a
SET, a SAVEPOINT, a SELECT of set_config, pg_notify, nextval or setval), an exception, a session
left failed, or a change still waiting in the session leaves the rollback as it was. (So a
SELECT of a function of ours that writes would have to be named in _SIDE_EFFECTS: there is
none.)
SQLite keeps its statement cache either way; nothing is done there.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from sqlalchemy import Engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from therapy.audit.events import has_pending
from therapy.extensions import db

_WROTE = "therapy_wrote"
_CONNECTION = "therapy_read_connection"
# SELECTs that change something beyond the transaction's own rows: a setting that would stay
# on the pooled connection (set_config(..., false)) or a notification sent only at COMMIT.
_SIDE_EFFECTS = ("SET_CONFIG", "PG_NOTIFY", "NEXTVAL", "SETVAL")


def _note_statement(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    text = statement.lstrip()
    if text[:6].upper() != "SELECT" or any(name in text.upper() for name in _SIDE_EFFECTS):
        conn.info[_WROTE] = True


def _transaction_begins(conn: Any) -> None:
    conn.info[_WROTE] = False


def _session_begins(session: Session, _transaction: Any, connection: Any) -> None:
    # The connection the session's transaction runs on, so the end of the request can look at
    # it without checking out a connection of its own.
    session.info[_CONNECTION] = connection


def _end_read_only(exc: BaseException | None) -> None:
    """Commit the request's transaction when it only read (see the module's docstring)."""
    session = db.session()
    connection = session.info.pop(_CONNECTION, None)
    if exc is not None or connection is None or not session.is_active:
        return
    if not session.in_transaction() or connection.info.get(_WROTE, True):
        return
    if session.new or session.dirty or session.deleted or has_pending(session):
        return
    try:
        session.commit()
    except SQLAlchemyError:
        # The page was read and sent; nothing was written, so nothing is lost. The session's
        # removal right after rolls back what is left, as it did before.
        current_app.logger.warning("a read-only transaction did not commit", exc_info=True)


def install_read_end(app: Flask, engine: Engine) -> None:
    """Watch the engine's statements and end read-only requests with COMMIT (PostgreSQL)."""
    if engine.dialect.name != "postgresql":
        return
    if not event.contains(engine, "before_cursor_execute", _note_statement):
        event.listen(engine, "before_cursor_execute", _note_statement)
        event.listen(engine, "begin", _transaction_begins)
    session_class = type(db.session())  # Flask-SQLAlchemy's Session subclass
    if not event.contains(session_class, "after_begin", _session_begins):
        event.listen(session_class, "after_begin", _session_begins)
    app.teardown_request(_end_read_only)
