"""The whole database as plain data, to prove a request changed nothing."""

from __future__ import annotations

from sqlalchemy import select

from therapy.extensions import db

# Columns every request may change: the time of the last request of a login.
VOLATILE = {("user_session", "last_seen_at")}


def snapshot(skip_tables: frozenset[str] = frozenset()) -> dict[str, list[tuple]]:
    """Every row of every table (sorted), without the volatile columns."""
    data: dict[str, list[tuple]] = {}
    for table in db.metadata.sorted_tables:
        if table.name in skip_tables:
            continue
        columns = [c for c in table.columns if (table.name, c.name) not in VOLATILE]
        rows = db.session.execute(select(*columns)).all()
        data[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    db.session.rollback()
    return data


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    """Names of the tables whose rows differ."""
    return [name for name in before if before[name] != after.get(name)]
