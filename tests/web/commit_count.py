"""Count the commits a block makes, requests included (beside query_count's statements).

A commit is what makes a save durable: SQLite's WAL fsyncs at each one (synchronous=FULL),
PostgreSQL flushes its log. The engine's "commit" event fires once per transaction that
reaches the database, whichever session or connection made it; an empty session commit
(nothing begun) sends nothing and is not counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import has_request_context, request
from sqlalchemy import event

from therapy.extensions import db


@contextmanager
def counting_commits() -> Iterator[list[str]]:
    """Collect the request path of each commit a request sends to the database inside the
    block. The test's own commits (IsolatedClient commits the test's set-up before each
    request, outside any request) are not the app's and are left out."""
    commits: list[str] = []

    def record(_conn: Any) -> None:
        if has_request_context():
            commits.append(request.path)

    engine = db.engine
    event.listen(engine, "commit", record)
    try:
        yield commits
    finally:
        event.remove(engine, "commit", record)
