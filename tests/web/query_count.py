"""Count the SQL statements a block runs, requests included.

Each test-client request runs in its own app context (see IsolatedClient), so Flask-
SQLAlchemy's per-context record of queries would not see them; the engine sees everything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from therapy.extensions import db


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    """Collect every statement sent to the database inside the block."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
