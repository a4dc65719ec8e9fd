"""Engine set-up per backend: SQLite tuned for a web server with several workers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError

SQLITE_PRAGMAS = (
    # Readers never block the writer and the writer never blocks readers.
    "PRAGMA journal_mode=WAL",
    # SQLite ignores foreign keys unless asked, per connection.
    "PRAGMA foreign_keys=ON",
    # An acknowledged save survives a power cut, not just a process crash.
    "PRAGMA synchronous=FULL",
)
# Wait this long for a lock instead of failing at once when another worker writes.
DEFAULT_BUSY_TIMEOUT_MS = 15_000


def configure_engine(engine: Engine, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> None:
    """Apply the backend's connection settings; PostgreSQL needs nothing beyond the pool."""
    if engine.dialect.name != "sqlite" or event.contains(engine, "begin", _sqlite_begin):
        return

    def connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so we can say BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in SQLITE_PRAGMAS:
                cursor.execute(pragma)
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        finally:
            cursor.close()

    event.listen(engine, "connect", connect)
    event.listen(engine, "begin", _sqlite_begin)


def is_lock_timeout(error: BaseException) -> bool:
    """True for SQLite's "database is locked": another writer held the lock past the wait."""
    return isinstance(error, OperationalError) and "database is locked" in str(error.orig)


def _sqlite_begin(connection: Any) -> None:
    # A deferred transaction that reads and then writes fails at once with "database is
    # locked" when another writer got there first, whatever the busy timeout; IMMEDIATE takes
    # the write lock up front and so waits its turn instead.
    connection.exec_driver_sql("BEGIN IMMEDIATE")
