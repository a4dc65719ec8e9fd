"""Engine set-up per backend: SQLite tuned for a web server with several workers."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError

SQLITE_PRAGMAS = (
    # Readers never block the writer and the writer never blocks readers.
    "PRAGMA journal_mode=WAL",
    # SQLite ignores foreign keys unless asked, per connection.
    "PRAGMA foreign_keys=ON",
    # An acknowledged save survives a power cut, not just a process crash.
    "PRAGMA synchronous=FULL",
    # Deleted rows are overwritten with zeros, not left in the file's free pages: a record
    # destroyed at the patient's request is gone from the file too (SECURITY.md promise 13).
    "PRAGMA secure_delete=ON",
)


# Options every engine is created with, whatever the configuration says: an error's message
# (and so the error log) never shows a statement's parameters, which hold password hashes,
# session tokens and typed notes (SECURITY.md promise 14).
REQUIRED_ENGINE_OPTIONS: dict[str, object] = {"hide_parameters": True}


def engine_options(configured: dict[str, object]) -> dict[str, object]:
    """The configured engine options with the required ones laid over them."""
    return {**configured, **REQUIRED_ENGINE_OPTIONS}


def configure_engine(engine: Engine) -> None:
    """Apply the backend's connection settings; PostgreSQL needs nothing beyond the pool.

    How long a SQLite writer waits for another's lock (the busy timeout) is the driver's
    connect timeout, set from SQLITE_BUSY_TIMEOUT_MS in therapy.config.
    """
    if not event.contains(engine, "handle_error", _without_row_values):
        event.listen(engine, "handle_error", _without_row_values)
    if engine.dialect.name != "sqlite" or event.contains(engine, "connect", _sqlite_connect):
        return
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)


def _without_values(message: str) -> str:
    return "\n".join(line for line in message.splitlines() if not line.startswith("DETAIL:"))


def _without_row_values(context: Any) -> None:
    """Drop PostgreSQL's DETAIL line ("Failing row contains (...)", "Key (...)=(...)") from a
    failed statement's error: it quotes the row's values, hide_parameters or not."""
    for error in (context.original_exception, context.sqlalchemy_exception):
        if error is not None and error.args and isinstance(error.args[0], str):
            error.args = (_without_values(error.args[0]), *error.args[1:])


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control from the sqlite3 module so we can say BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def is_lock_timeout(error: BaseException) -> bool:
    """True for SQLite's "database is locked": another writer held the lock past the wait."""
    return isinstance(error, OperationalError) and "database is locked" in str(error.orig)


# Set on a request's WSGI environ when it must take the write lock from its first statement.
IMMEDIATE_ENVIRON_KEY = "therapy.sqlite_immediate"
# An execution option for a connection that only reads, for long (a practice export): its
# transaction begins deferred, so it holds no write lock while it reads (therapy.exports).
DEFERRED_READS = "therapy_deferred_reads"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def reads_first() -> bool:
    """True when this request's transaction begins deferred: a first attempt at a read that
    names no patient (a page of one patient's data writes its read to the audit trail)."""
    return (
        has_request_context()
        and request.method in READ_METHODS
        and "patient_id" not in (request.view_args or {})
        and not request.environ.get(IMMEDIATE_ENVIRON_KEY)
    )


def _sqlite_begin(connection: Any) -> None:
    # A deferred transaction that reads and then writes fails at once with "database is
    # locked" when another writer got there first, whatever the busy timeout; IMMEDIATE takes
    # the write lock up front and so waits its turn instead. Writes always begin IMMEDIATE,
    # and so do reads of a patient's pages (their audit event is a write, every time). Other
    # reads (the caseload, accounts, settings) begin deferred, so several workers run them
    # side by side (WAL); the few that write (a search on the trail, the login's activity
    # time) and meet another writer's commit are run again (therapy.database.lock_retry),
    # IMMEDIATE.
    deferred = reads_first() or connection.get_execution_options().get(DEFERRED_READS, False)
    connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


def truncate_write_ahead_log(engine: Engine) -> bool:
    """Copy SQLite's write-ahead log into the database and empty it; True when it was emptied.

    The log keeps earlier versions of changed pages until it is written over; after a
    destruction it must not hold the destroyed rows. A reader still busy elsewhere can keep
    part of the log (False); the next destruction, or the next full checkpoint, empties it.
    Nothing to do on PostgreSQL.
    """
    if engine.dialect.name != "sqlite":
        return True
    # Outside any transaction (a checkpoint cannot run inside one): the driver's connection,
    # which runs in autocommit mode here (_sqlite_connect).
    connection = engine.raw_connection()
    try:
        busy, _log, _copied = (
            connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        )
    finally:
        connection.close()
    return not busy
