"""The practice-wide export files, written to disk: FHIR NDJSON (in parallel) and research ZIP.

The FHIR export spends its time in the R4 models' validation, so its chunks of patients are
turned into lines by worker processes (one per core), forked from this single-threaded job
process; the lines come back in order and are appended to the file.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

from therapy.database.engine import DEFERRED_READS
from therapy.exports.fhir.bundle import chunk_lines, practitioner_lines
from therapy.exports.records import CHUNK_PATIENTS, patient_ids
from therapy.exports.research.archive import write_research_archive
from therapy.extensions import db

Progress = Callable[[int], None]
_worker_app: Flask | None = None


def read_only_snapshot() -> None:
    """Let the session read the whole export as one snapshot, without taking a write lock."""
    options: dict[str, Any] = {DEFERRED_READS: True}
    if db.engine.dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    db.session.connection(execution_options=options)


def _start_worker() -> None:
    """In a forked worker: new database connections (never the parent's) in an app context."""
    if _worker_app is None:
        raise RuntimeError("the export worker was started without the app")
    _worker_app.app_context().push()
    db.engine.dispose(close=False)
    read_only_snapshot()


def _lines_of(ids: Sequence[int]) -> tuple[int, bytes]:
    return len(ids), chunk_lines(ids)


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK_PATIENTS):
        yield ids[start : start + CHUNK_PATIENTS]


def write_practice_ndjson(target: Path, progress: Progress, workers: int = 0) -> int:
    """Every resource of the practice into `target`, one per line; returns the patient count."""
    global _worker_app
    ids = patient_ids()
    workers = workers or os.cpu_count() or 1
    done = 0
    with target.open("wb") as out:
        out.write(practitioner_lines())
        if workers == 1 or len(ids) <= CHUNK_PATIENTS:
            for chunk in _chunks(ids):
                done += _lines_of(chunk)[0]
                out.write(chunk_lines(chunk))
                progress(done)
            return done
        _worker_app = current_app._get_current_object()  # type: ignore[attr-defined]
        # Connections are not shared across a fork: the children open their own.
        db.session.remove()
        db.engine.dispose()
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_start_worker) as pool:
            for count, lines in pool.imap(_lines_of, list(_chunks(ids))):
                out.write(lines)
                done += count
                progress(done)
    return done


def write_research_zip(target: Path, progress: Progress) -> int:
    """The research data set into `target`; returns the patient count."""
    counts = write_research_archive(target, progress=progress)
    return counts["patients.csv"]


def patient_count() -> int:
    """How many patients an export of the practice covers (the progress bar's 100 %)."""
    from therapy.models import Patient

    return len(db.session.scalars(select(Patient.id)).all())
