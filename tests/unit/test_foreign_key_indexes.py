"""Every link from one clinical row to another can be followed through an index.

A page that loads an episode joins its rows along these links, and removing a row (a record
destroyed) looks up the rows that point at it; without an index on the link both read the
whole table, which grows with the practice (the episode page took 1.85 times as long at
10,000 patients as at 100 when `alliance_checkin.session_id` had only a partial index).
Links to user accounts are left out: accounts are never deleted, and no page joins along
the "who did it" columns.
"""

from __future__ import annotations

from sqlalchemy import Table

import therapy.models  # noqa: F401  (every table on the metadata)
from therapy.extensions import db


def _predicate(index: object) -> str | None:
    options = getattr(index, "dialect_kwargs", {})
    where = options.get("postgresql_where")
    return None if where is None else str(where)


def _indexed_columns(table: Table) -> set[str]:
    """Columns that lead an index serving an equality lookup on them."""
    leading: set[str] = set()
    for index in table.indexes:
        first = next(iter(index.columns)).name
        where = _predicate(index)
        # A partial index "col IS NOT NULL" still serves "col = x".
        if where is None or where.strip() == f"{first} IS NOT NULL":
            leading.add(first)
    for constraint in table.constraints:
        columns = list(getattr(constraint, "columns", []))
        if columns and type(constraint).__name__ in ("UniqueConstraint", "PrimaryKeyConstraint"):
            leading.add(columns[0].name)
    return leading


def test_every_link_between_clinical_rows_leads_an_index() -> None:
    unindexed = [
        f"{table.name}.{key.parent.name} -> {key.column.table.name}"
        for table in db.metadata.sorted_tables
        for key in table.foreign_keys
        if key.column.table.name != "user_account"
        and key.parent.name not in _indexed_columns(table)
    ]
    assert unindexed == []
