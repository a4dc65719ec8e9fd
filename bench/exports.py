"""Practice exports at 10,000 patients and 120,000 sessions: research data set and FHIR NDJSON.

`.venv/bin/python -m bench.exports [--patients 10000] [--backends sqlite postgresql]` (part of
`make bench`). Seeds the large practice (bench/seed_large.py), then runs each export as the
job runner does, in a process of its own (`python -m therapy.exports.runner <id>`), and reads
its wall time and the peak resident memory (VmHWM) of it and of its worker processes from
/proc. Prints the load average beside the figures (the machine is shared) and one `target:`
line per goal: each export within 60 s, each process under 200 MB. Exit status 1 on a miss.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select

from bench.harness import target
from bench.live import fresh_postgres_database
from bench.pages import DEFAULT_POSTGRES
from bench.seed_large import seed_large
from therapy import create_app
from therapy.extensions import db
from therapy.models import ExportJob, User
from therapy.models.enums import ExportKind, ExportStatus, Role

SECONDS, MEGABYTES = 60.0, 200.0
KEY = "bench-research-key-that-is-long-enough-000"


def _peak_of_tree(root: int, peaks: dict[int, float], stop: threading.Event) -> None:
    """Sample the process and its children's peak resident memory until told to stop."""
    while not stop.is_set():
        pids = [root]
        try:
            children = Path(f"/proc/{root}/task/{root}/children").read_text().split()
            pids += [int(pid) for pid in children]
        except OSError:
            pass
        for pid in pids:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks[pid] = max(peaks.get(pid, 0.0), int(line.split()[1]) / 1024)
            except OSError:
                continue
        stop.wait(0.2)


def _run(app, url: str, scratch: Path, kind: ExportKind) -> tuple[float, float, list[float], int]:
    """One export job through the real runner: wall and CPU seconds, peak MB per process, size."""
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == Role.PRACTICE_ADMIN))
        total = db.session.scalar(
            select(db.func.count()).select_from(db.metadata.tables["patient"])
        )
        job = ExportJob(
            kind=kind, requested_by_id=admin.id, total=total, file_name=f"bench-{kind.value}"
        )
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    env = dict(
        os.environ,
        DATABASE_URL=url,
        INSTANCE_PATH=str(scratch),
        SECRET_KEY="bench-secret-key-that-is-long-enough-0123456789",  # noqa: S106
        RESEARCH_PSEUDONYM_KEY=KEY,
        THERAPY_ENV="development",
    )
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "therapy.exports.runner", str(job_id)], env=env
    )
    peaks: dict[int, float] = {}
    stop = threading.Event()
    sampler = threading.Thread(target=_peak_of_tree, args=(process.pid, peaks, stop))
    sampler.start()
    # wait4 also gives the CPU time the runner and its reaped workers used: a figure that the
    # other load on a shared machine does not stretch, unlike the wall time.
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - began
    cpu = usage.ru_utime + usage.ru_stime
    stop.set()
    sampler.join()
    with app.app_context():
        job = db.session.get(ExportJob, job_id)
        if process.returncode != 0 or job.status != ExportStatus.DONE:
            raise SystemExit(f"{kind.value} export failed: {job.error}")
        size = job.size_bytes
    return elapsed, cpu, sorted(peaks.values(), reverse=True), size


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def main() -> int:
    """Seed, export, print the figures and the target lines."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    arguments = parser.parse_args()
    met = True
    for backend in arguments.backends:
        scratch = Path(tempfile.mkdtemp(prefix=f"bench-exports-{backend}-"))
        if backend == "sqlite":
            url = f"sqlite:///{scratch / 'bench.db'}"
        else:
            server = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
            url = fresh_postgres_database(server, f"bench_exports_{arguments.patients}")
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(scratch), "SECRET_KEY": "b" * 40}
        )
        with app.app_context():
            upgrade()
            with db.engine.begin() as connection:
                counts = seed_large(connection, patients=arguments.patients)
            db.session.add(
                User(
                    email="admin@bench.example",
                    full_name="Admin",
                    role=Role.PRACTICE_ADMIN,
                    password_hash="x",  # noqa: S106 (no login: the job only names who asked),
                )
            )
            db.session.commit()
        print(
            f"{backend}: {counts['patient']} patients, {counts['therapy_session']} sessions, "
            f"{counts['goal_rating']} PSFS ratings; {_load()}"
        )
        for kind, name in (
            (ExportKind.RESEARCH, "research data set"),
            (ExportKind.FHIR_PRACTICE, "FHIR NDJSON"),
        ):
            elapsed, cpu, peaks, size = _run(app, url, scratch, kind)
            print(
                f"{backend} {name}: {elapsed:.1f} s wall, {cpu:.1f} s CPU in all its processes, "
                f"{size / 1e6:.0f} MB written, peak memory "
                f"per process {', '.join(f'{p:.0f}' for p in peaks)} MB; {_load()}"
            )
            met &= target(f"{backend} {name} seconds", elapsed, "<=", SECONDS, " s")
            met &= target(
                f"{backend} {name} peak MB per process", max(peaks), "<=", MEGABYTES, " MB"
            )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
