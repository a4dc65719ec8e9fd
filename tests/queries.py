"""Counting the SQL statements a request runs, for query-budget tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from therapy.extensions import db


class QueryCounter:
    """Statements seen while the counter was active (transaction control excluded)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        """Number of statements run."""
        return len(self.statements)

    def _record(self, _conn, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            self.statements.append(statement)


@contextmanager
def count_queries() -> Iterator[QueryCounter]:
    """Count the statements run on the app's engine inside the block."""
    counter = QueryCounter()
    event.listen(db.engine, "before_cursor_execute", counter._record)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", counter._record)


def queries_for(client, url: str) -> int:
    """Statements one GET of the URL runs (the test's own session is committed first)."""
    db.session.commit()
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return counter.count
