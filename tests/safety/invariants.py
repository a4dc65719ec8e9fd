"""What no stored row may ever hold, whatever was posted: checked after fuzzing."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import Date, Integer, String, Text, select

from therapy.extensions import db

# Control characters other than tab, newline and carriage return (the forms strip them).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EARLIEST = date(1900, 1, 1)
MAX_INTEGER = 2**31 - 1


def invalid_values() -> list[str]:
    """Every stored value out of bounds: control characters, dates before 1900 or in the future
    (a day's margin for time zones), integers beyond 32 bits."""
    latest = date.today() + timedelta(days=1)
    problems: list[str] = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | Date | Integer)]
        for row in db.session.execute(select(*columns)).mappings():
            for column in columns:
                value = row[column.name]
                where = f"{table.name}.{column.name}"
                if isinstance(value, str) and _CONTROL.search(value):
                    problems.append(f"{where}: control character in {value[:40]!r}")
                elif isinstance(value, date) and not EARLIEST <= value <= latest:
                    problems.append(f"{where}: date {value}")
                elif isinstance(value, int) and not -MAX_INTEGER <= value <= MAX_INTEGER:
                    problems.append(f"{where}: integer {value}")
    db.session.rollback()
    return problems
