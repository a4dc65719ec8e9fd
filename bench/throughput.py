"""Throughput under gunicorn beside the bare page, and peak memory per worker on reports.

`.venv/bin/python -m bench.throughput [--size 10000] [--seconds 6] [--backends ...]` (part of
`make bench`). A practice is seeded into each database; the app and the baseline page (bare
Flask + SQLAlchemy + Jinja, 50 rows: bench/bare_app.py) are each served by gunicorn with the
project's gunicorn.conf.py (2 sync workers on 127.0.0.1) and loaded by the same client
threads for a bounded time, one after the other, in three rounds (the median round's ratio
is the figure), so the ratio compares like with like on this machine. Then treatment report
PDFs are requested and each worker's peak resident memory (VmHWM) is read from /proc.
Prints `target:` lines; exit status 1 when one is missed.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select

from bench.harness import target
from bench.live import Client, Server, free_port, server_env, session_cookie
from bench.pages import fresh_database
from bench.seed_large import seed_large
from therapy import create_app
from therapy.extensions import db
from therapy.models import Document, Patient, TreatmentEpisode, User
from therapy.models.enums import DocumentKind, EpisodeStatus

CLIENTS = 8
ROUNDS = 3
REPORTS = 20


def _hammer(client_for, path: str, seconds: float) -> tuple[float, int]:
    """Requests per second over `seconds` from CLIENTS threads, and the number of failures."""
    done, failed = [0], [0]
    lock = threading.Lock()
    until = time.monotonic() + seconds

    def work() -> None:
        client = client_for()
        while time.monotonic() < until:
            try:
                status, _location, _body = client.open(path)
            except OSError:
                status = 0
            with lock:
                done[0] += 1
                failed[0] += status != 200

    threads = [threading.Thread(target=work) for _ in range(CLIENTS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.monotonic() - began), failed[0]


def _peak_mb(pids: list[int]) -> float:
    """The largest peak resident set (VmHWM) of the given processes, in MB."""
    peaks = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks, default=0.0)


def _prepare(url: str, size: int, scratch: Path, secret: str) -> tuple[str, str, str]:
    """Seed the practice; the first therapist's cookie and a closed episode's report URL."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(scratch), "SECRET_KEY": secret}
    )
    with app.app_context():
        upgrade()
        with db.engine.begin() as connection:
            seed_large(connection, patients=size, therapists=max(1, size // 200))
        therapist = db.session.get(User, 1)
        closed = db.session.scalar(
            select(TreatmentEpisode)
            .join(Patient)
            .where(Patient.therapist_id == 1, TreatmentEpisode.status == EpisodeStatus.CLOSED)
            .order_by(TreatmentEpisode.id)
        )
        report = Document(episode_id=closed.id, kind=DocumentKind.TREATMENT_REPORT, author_id=1)
        db.session.add(report)
        db.session.commit()
        pdf = f"/patients/{closed.patient_id}/episodes/{closed.id}/documents/{report.id}/pdf"
        cookie = session_cookie(app, therapist)
        name = str(app.config["SESSION_COOKIE_NAME"])
        db.engine.dispose()
    return name, cookie, pdf


def run(backend: str, size: int, seconds: float, scratch: Path) -> bool:
    """Measure one database: throughput of the caseload and the bare page, report memory."""
    url = fresh_database(backend, size, scratch)
    port = bare_port = free_port()
    while bare_port == port:
        bare_port = free_port()
    env = server_env(url, scratch, port)
    name, cookie, pdf = _prepare(url, size, scratch, env["SECRET_KEY"])

    # Both servers stay up; the rounds alternate between them, so a neighbour's load on the
    # shared machine falls on both alike, and the median of the rounds' ratios is reported.
    bare_env = {**env, "BARE_THERAPIST_ID": "1", "BIND": f"127.0.0.1:{bare_port}"}
    bare = Server(bare_env, bare_port, app="bench.bare_app:app")
    app = Server(env, port)
    bare.start()
    app.start()
    rounds = []
    failed = 0
    for _ in range(ROUNDS):
        bare_rate, bare_failed = _hammer(lambda: Client(bare_port, name, cookie), "/", seconds)
        rate, app_failed = _hammer(lambda: Client(port, name, cookie), "/", seconds)
        failed += bare_failed + app_failed
        rounds.append((rate / bare_rate, rate, bare_rate))
    bare.stop()
    reporter = Client(port, name, cookie)
    report_failed = sum(reporter.open(pdf)[0] != 200 for _ in range(REPORTS))
    peak = _peak_mb(app.worker_pids())
    app.stop()

    ratio, rate, bare_rate = sorted(rounds)[len(rounds) // 2]
    print(
        f"\n== {backend}, {size:,} patients, gunicorn with 2 sync workers, {CLIENTS} clients, "
        f"{ROUNDS} rounds of {seconds:.0f} s each (the median round)\n"
        f"  baseline page   {bare_rate:7.1f} requests/s\n"
        f"  caseload        {rate:7.1f} requests/s ({failed} failed in all rounds)\n"
        f"  rounds (caseload / baseline): {', '.join(f'{r:.2f}' for r, _a, _b in rounds)}\n"
        f"  treatment report PDFs: {REPORTS} ({report_failed} failed); "
        f"peak memory per worker {peak:.0f} MB"
    )
    ok = target(
        f"{backend} caseload throughput / baseline page (median of {ROUNDS})", ratio, ">=", 0.5
    )
    ok &= target(f"{backend} peak memory per worker rendering reports", peak, "<=", 150, " MB")
    ok &= target(f"{backend} failed requests under load", failed + report_failed, "<=", 0)
    return ok


def main() -> int:
    """Measure each database and print the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=6.0)
    args = parser.parse_args()
    os.environ.setdefault("THERAPY_ENV", "development")
    ok = True
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as scratch:
            ok &= run(backend, args.size, args.seconds, Path(scratch))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
