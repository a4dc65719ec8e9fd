"""On PostgreSQL a request that only read ends its transaction with COMMIT, not ROLLBACK.

psycopg prepares a statement on a connection once it has run it five times, and PostgreSQL
then plans it once for good (a generic plan) instead of at every run. But psycopg forgets every
statement it prepared on a connection when it sees a ROLLBACK go by (DEALLOCATE ALL), and a
request's transaction that was not committed is rolled back when its session is removed. So
each caseload page, whose reads write no audit event, threw away what every page before it
had prepared, and every statement of every page was planned again at every request: for the
caseload's change mark (27 index lookups in one statement) that is 3 ms of a 5 ms page.

Ending such a transaction with COMMIT instead changes nothing in the database: a transaction
whose every statement was a SELECT wrote nothing, and COMMIT releases its locks as ROLLBACK
does. Any other statement in the transaction (an INSERT, UPDATE or DELETE, a flush, a SET),
an exception, or a change still waiting in the session leaves the rollback as it was.
SQLite keeps its statement cache either way; nothing is done there.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from sqlalchemy import Engine, event
from sqlalchemy.exc import SQLAlchemyError

from therapy.audit.events import has_pending
from therapy.extensions import db

_WROTE = "therapy_wrote"


def _note_statement(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":
        conn.info[_WROTE] = True


def _transaction_begins(conn: Any) -> None:
    conn.info[_WROTE] = False


def _end_read_only(exc: BaseException | None) -> None:
    """Commit the request's transaction when it only read (see the module's docstring)."""
    session = db.session()
    if exc is not None or not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted or has_pending(session):
        return
    connection = session.connection()
    if connection.info.get(_WROTE, True):
        return
    try:
        session.commit()
    except SQLAlchemyError:
        # The page was read and sent; nothing was written, so nothing is lost. The session's
        # removal rolls back what is left, as it would have without this.
        current_app.logger.warning("a read-only transaction did not commit", exc_info=True)
        session.rollback()


def install_read_end(app: Flask, engine: Engine) -> None:
    """Watch the engine's statements and end read-only requests with COMMIT (PostgreSQL)."""
    if engine.dialect.name != "postgresql":
        return
    if not event.contains(engine, "before_cursor_execute", _note_statement):
        event.listen(engine, "before_cursor_execute", _note_statement)
        event.listen(engine, "begin", _transaction_begins)
    app.teardown_request(_end_read_only)
