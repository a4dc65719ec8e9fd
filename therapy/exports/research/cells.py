"""CSV cells that a spreadsheet cannot run: formula injection made impossible (OWASP).

The data set holds codes and numbers only, never free text; still every text cell passes
through here, so a value starting with a formula character is written as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
Cell = str | int | float | None


def safe_cell(value: Cell) -> str:
    """One cell as text: numbers as they are, empty for None, text never read as a formula."""
    if type(value) is int:  # most cells: a count, minutes, a score, a day number
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        # A leading apostrophe makes spreadsheets show the cell as text, not evaluate it.
        return "'" + text
    return text


def csv_lines(rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """Each row as one line of CSV text (RFC 4180 quoting, \\r\\n line ends), every cell safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(value) for value in row])
        yield buffer.getvalue()
