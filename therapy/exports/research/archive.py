"""The research data set as one ZIP: a CSV per table and the data dictionary, written in one pass.

Each table's rows go to a temporary file of its own while the patients are read chunk by
chunk; the files are then compressed into the archive. Memory holds one chunk of patients.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from therapy.exports.records import iter_records, patient_ids
from therapy.exports.research.cells import csv_lines
from therapy.exports.research.pseudonyms import Pseudonymiser, key_from_environment
from therapy.exports.research.tables import ROWS, TABLES

DICTIONARY = "data_dictionary.csv"
ABOUT = "README.txt"
ABOUT_TEXT = """Pseudonymised research data set of a psychosomatic therapy practice.

Patients, episodes and therapists are named by keyed pseudonyms (HMAC-SHA-256 with a key kept
outside the practice's database): the same key gives the same pseudonyms in every export.
There are no names, no free text, no BSN, no record numbers and no exact dates: days are
counted from the episode's intake (started_on), months are YYYY-MM. data_dictionary.csv
describes every column; CSV files are UTF-8 with a header row.
"""


def write_research_archive(
    target: Path,
    *,
    progress: Callable[[int], None] | None = None,
    environ: dict[str, str] | None = None,
) -> dict[str, int]:
    """Write the data set to `target`; rows per file. Refuses without the pseudonym key."""
    names = Pseudonymiser(key_from_environment(environ))
    counts = dict.fromkeys(TABLES, 0)
    with tempfile.TemporaryDirectory(prefix="research-", dir=target.parent) as scratch:
        folder = Path(scratch)
        handles = {name: (folder / name).open("w", encoding="utf-8", newline="") for name in TABLES}
        try:
            for name, columns in TABLES.items():
                handles[name].writelines(csv_lines([[c.name for c in columns]]))
            done = 0
            for records in iter_records(patient_ids()):
                for name, build in ROWS.items():
                    rows = [row for record in records for row in build(record, names)]
                    counts[name] += len(rows)
                    handles[name].writelines(csv_lines(rows))
                done += len(records)
                if progress is not None:
                    progress(done)
        finally:
            for handle in handles.values():
                handle.close()
        dictionary = csv_lines(
            [
                ("file", "column", "kind", "description", "values"),
                *(
                    (name, c.name, c.kind, c.description, c.values)
                    for name, columns in TABLES.items()
                    for c in columns
                ),
            ]
        )
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(ABOUT, ABOUT_TEXT)
            archive.writestr(DICTIONARY, "".join(dictionary))
            for name in TABLES:
                archive.write(folder / name, arcname=name)
    return counts
