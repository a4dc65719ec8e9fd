"""Practice export jobs: started by the administrator, run by a process of their own, polled.

A job is a row (therapy.models.ExportJob): `start_job` adds it, `launch` starts
`python -m therapy.exports.runner <id>` (or runs it at once when EXPORT_RUN_INLINE is set,
as in tests), `run_job` writes the file under the instance folder and records the EXPORT
event. A job whose heartbeat stopped (its process died) counts as failed, so another can start.
"""

from __future__ import annotations

import os
import secrets
import subprocess  # nosec B404 (a fixed command: this interpreter and our runner module)
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from therapy.audit.chain import Actor, record_event
from therapy.exports.practice_files import (
    patient_count,
    read_only_snapshot,
    write_practice_ndjson,
    write_research_zip,
)
from therapy.exports.research.pseudonyms import key_from_environment
from therapy.extensions import db
from therapy.models import ExportJob
from therapy.models.enums import AuditAction, AuditOutcome, ExportKind, ExportStatus
from therapy.models.types import utcnow

STALE_AFTER = timedelta(minutes=2)  # no heartbeat for this long: the job's process died
KEEP_FILES_FOR = timedelta(hours=24)
SUFFIX = {ExportKind.FHIR_PRACTICE: ".ndjson", ExportKind.RESEARCH: ".zip"}
DETAIL = {ExportKind.FHIR_PRACTICE: "FHIR R4 NDJSON", ExportKind.RESEARCH: "research data set"}


_launched: list[subprocess.Popen[bytes]] = []


class ExportBusy(Exception):
    """An export of this kind is already running."""


def export_folder() -> Path:
    """Where export files are kept until they expire (inside the instance folder)."""
    folder = Path(current_app.instance_path) / "exports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def is_alive(job: ExportJob) -> bool:
    """Queued or running, and its heartbeat recent enough."""
    if job.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING):
        return False
    last = job.heartbeat_at or job.created_at
    return utcnow() - last < STALE_AFTER


def file_of(job: ExportJob) -> Path | None:
    """The job's file when it is done and not expired."""
    if job.status != ExportStatus.DONE or job.finished_at is None:
        return None
    path = export_folder() / job.file_name
    expired = utcnow() - job.finished_at > KEEP_FILES_FOR
    return None if expired or not path.is_file() else path


def latest_jobs() -> dict[ExportKind, ExportJob | None]:
    """The newest job of each kind."""
    return {
        kind: db.session.scalar(
            select(ExportJob)
            .where(ExportJob.kind == kind)
            .order_by(ExportJob.created_at.desc(), ExportJob.id.desc())
            .limit(1)
        )
        for kind in ExportKind
    }


def remove_expired_files() -> None:
    """Delete export files past their time, and those of jobs that are no longer newest."""
    newest = {job.file_name for job in latest_jobs().values() if job is not None}
    cutoff = utcnow() - KEEP_FILES_FOR
    for path in export_folder().iterdir():
        old = path.stat().st_mtime < cutoff.timestamp()
        if path.is_file() and (old or path.name not in newest):
            path.unlink(missing_ok=True)


def start_job(kind: ExportKind, requested_by_id: int) -> ExportJob:
    """Add a queued job (the caller commits, then launches it); refuses a second running one."""
    if kind == ExportKind.RESEARCH:
        key_from_environment()  # refuse before anything runs, with what to set
    running = latest_jobs()[kind]
    if running is not None and is_alive(running):
        raise ExportBusy(kind)
    job = ExportJob(
        kind=kind,
        requested_by_id=requested_by_id,
        total=patient_count(),
        file_name=f"{secrets.token_urlsafe(18)}{SUFFIX[kind]}",
        heartbeat_at=utcnow(),
    )
    db.session.add(job)
    db.session.flush()
    return job


def launch(job_id: int) -> None:
    """Run the job in a process of its own (or here, at once, when EXPORT_RUN_INLINE is set)."""
    config = current_app.config
    if config.get("EXPORT_RUN_INLINE"):
        run_job(job_id)
        return
    environment = dict(
        os.environ,
        DATABASE_URL=str(config["SQLALCHEMY_DATABASE_URI"]),
        INSTANCE_PATH=current_app.instance_path,
    )
    running_processes()  # reaps runners that ended (no zombies); the others stay referenced
    # Its own session, so a worker recycled by gunicorn does not take the export with it.
    process = subprocess.Popen(  # noqa: S603 # nosec B603 (fixed arguments, no shell)
        [sys.executable, "-m", "therapy.exports.runner", str(job_id)],
        env=environment,
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    _launched.append(process)


def _set(job_id: int, **values: Any) -> None:
    """Write progress on a connection of its own: the export's snapshot stays open."""
    with db.engine.begin() as connection:
        connection.execute(update(ExportJob).where(ExportJob.id == job_id).values(**values))


def _finish(job_id: int, **values: Any) -> None:
    """The job's end, in the session's transaction: committed with its EXPORT event."""
    db.session.execute(update(ExportJob).where(ExportJob.id == job_id).values(**values))


def running_processes() -> list[subprocess.Popen[bytes]]:
    """The runner processes this process started that have not ended yet."""
    _launched[:] = [process for process in _launched if process.poll() is None]
    return list(_launched)


def run_job(job_id: int) -> None:
    """Write the job's file, keeping its progress and heartbeat up to date; audit the export."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.status != ExportStatus.QUEUED:
        return
    kind, requested_by, total = job.kind, job.requested_by_id, job.total
    target = export_folder() / job.file_name
    db.session.rollback()
    _set(job_id, status=ExportStatus.RUNNING, started_at=utcnow(), heartbeat_at=utcnow())

    def progress(done: int) -> None:
        _set(job_id, done=min(done, total), heartbeat_at=utcnow())

    actor = Actor(user_id=requested_by, endpoint=f"exports.{kind.value}")
    try:
        read_only_snapshot()
        if kind == ExportKind.FHIR_PRACTICE:
            workers = int(current_app.config.get("EXPORT_WORKERS") or 0)
            patients = write_practice_ndjson(target, progress, workers)
        else:
            patients = write_research_zip(target, progress)
    except Exception as error:  # the job must end failed, whatever stopped it
        db.session.rollback()
        target.unlink(missing_ok=True)
        message = f"{type(error).__name__}: {error}"[:500]
        _finish(job_id, status=ExportStatus.FAILED, finished_at=utcnow(), error=message)
        record_event(
            AuditAction.EXPORT,
            actor=actor,
            object_type="export_job",
            object_id=job_id,
            outcome=AuditOutcome.FAILED,
            detail=f"{DETAIL[kind]} of the practice failed",
        )
        db.session.commit()
        raise
    db.session.rollback()
    _finish(
        job_id,
        status=ExportStatus.DONE,
        done=patients,
        total=max(total, patients),
        finished_at=utcnow(),
        heartbeat_at=utcnow(),
        size_bytes=min(target.stat().st_size, 2**31 - 1),
    )
    record_event(
        AuditAction.EXPORT,
        actor=actor,
        object_type="export_job",
        object_id=job_id,
        detail=f"{DETAIL[kind]} of the practice written: {patients} patients",
    )
    db.session.commit()
