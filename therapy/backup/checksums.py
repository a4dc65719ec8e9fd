"""Row counts and content checksums per table: the fingerprint a backup is checked against."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, MetaData, select


@dataclass(frozen=True)
class TableFingerprint:
    """How many rows a table holds and a SHA-256 over their content in key order."""

    rows: int
    sha256: str


def _canonical(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"bytes": bytes(value).hex()}
    if isinstance(value, datetime):
        # SQLite hands back naive UTC, PostgreSQL aware UTC: compare the same instant.
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool):
        return int(value)
    return value


def fingerprint_tables(connection: Connection, metadata: MetaData) -> dict[str, TableFingerprint]:
    """Fingerprint every table of the metadata, reading through the given connection."""
    result: dict[str, TableFingerprint] = {}
    for table in metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        digest = hashlib.sha256()
        rows = 0
        for row in connection.execute(select(table).order_by(*order)):
            values = [_canonical(value) for value in row]
            digest.update(json.dumps(values, sort_keys=True, default=str).encode())
            digest.update(b"\n")
            rows += 1
        result[table.name] = TableFingerprint(rows=rows, sha256=digest.hexdigest())
    return result
