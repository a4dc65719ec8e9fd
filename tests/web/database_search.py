"""Searching the whole database for strings: every column of every table, and the files.

What a checker of a destruction does: every value of every row, whatever its type (text,
JSON, bytes), read back and searched; on SQLite the database file and its write-ahead log
are searched byte for byte as well, for what was deleted but left on disk.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import inspect, select, text

from therapy.audit.changes import is_clinical
from therapy.extensions import db
from therapy.services.records.erasure import belongs_to


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("latin-1")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def stored_values() -> dict[str, str]:
    """Every table's content as one string per table (tables the models do not know too)."""
    found = {}
    connection = db.session.connection()
    for name in inspect(connection).get_table_names():
        rows = connection.execute(text(f'SELECT * FROM "{name}"')).all()  # noqa: S608 (names from the catalogue)
        found[name] = "\n".join("\t".join(_as_text(v) for v in row) for row in rows)
    db.session.rollback()
    return found


def tables_holding(markers: list[str]) -> dict[str, list[str]]:
    """For each table holding any of the markers, which ones."""
    found: dict[str, list[str]] = {}
    for table, content in stored_values().items():
        hits = [marker for marker in markers if marker in content]
        if hits:
            found[table] = hits
    return found


def files_holding(markers: list[str]) -> dict[str, list[str]]:
    """SQLite only: which markers are still somewhere in the database file or its log."""
    database = db.engine.url.database
    found: dict[str, list[str]] = {}
    if db.engine.dialect.name != "sqlite" or not database:
        return found
    for path in (Path(database), Path(f"{database}-wal")):
        if path.exists():
            content = path.read_bytes()
            hits = [m for m in markers if m.encode() in content]
            if hits:
                found[path.name] = hits
    return found


def rows_of(
    table_names: list[str], without_patient: int | None = None
) -> dict[str, set[tuple[str, ...]]]:
    """The rows of these tables as comparable tuples of text, leaving out one patient's."""
    snapshot = {}
    for name in table_names:
        table = db.metadata.tables[name]
        query = select(table)
        if without_patient is not None and is_clinical(table):
            query = query.where(~belongs_to(table, without_patient))
        rows = db.session.execute(query).all()
        snapshot[name] = {tuple(_as_text(v) for v in row) for row in rows}
    db.session.rollback()
    return snapshot
