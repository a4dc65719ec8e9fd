"""Crash safety: kill -9 the server under a stream of saves; no acknowledged save may be lost.

`.venv/bin/python -m bench.crash [runs] [sqlite|postgresql]` (20 runs by default). The app
runs under gunicorn with the project's own gunicorn.conf.py; a client creates patients one
after another through the real form (CSRF token, server-side session) and remembers every
save the server acknowledged (302 to the new record). At a random moment the whole server
process group gets SIGKILL, then it is started again, and the stream goes on. At the end every
acknowledged record must be in the database, the database must pass its integrity check and
the audit trail's hash chain must be intact. A short version runs in the test suite.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import sys
import threading
import time
import urllib.error
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select, text

from bench.harness import target
from bench.live import Client, Server, free_port, server_env, session_cookie
from therapy import create_app
from therapy.audit import chain as audit
from therapy.extensions import db
from therapy.models import Patient, User
from therapy.models.enums import Profession, Role

HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


@dataclass(frozen=True)
class CrashResult:
    """What the crash runs found."""

    runs: int
    acknowledged: int
    lost: list[str]
    integrity: str
    chain_intact: bool

    def line(self) -> str:
        """The figure line of SECURITY.md."""
        return f"crash: {self.runs} kill -9 runs, {len(self.lost)} acknowledged saves lost"


def _crash_user(app: Flask) -> str:
    """A therapist with a verified server-side session, as a signed session cookie."""
    with app.app_context():
        from therapy.services.accounts.passwords import hash_password

        user = User(
            email="crash@bench.example",
            full_name="Crash Test",
            role=Role.THERAPIST,
            profession=Profession.PHYSICAL_THERAPIST,
            password_hash=hash_password("crash-test-password-2026"),
        )
        db.session.add(user)
        db.session.flush()
        return session_cookie(app, user)


class PatientStream:
    """Creates patients through the real form and remembers which saves were acknowledged."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.acknowledged: list[str] = []
        self.sequence = 0

    def save_one(self) -> None:
        """GET the form, POST a new patient; remember it if the server said 302."""
        _status, _location, page = self.client.open("/patients/new")
        fields = {}
        for tag in HIDDEN.findall(page):
            attrs = dict(ATTRIBUTE.findall(tag))
            if attrs.get("name"):
                fields[attrs["name"]] = attrs.get("value", "")
        self.sequence += 1
        # The record number is the app's to give: a save is known by its family name.
        record = f"CRASH-{os.getpid()}-{self.sequence:06d}"
        fields.update(
            given_name="Crash",
            family_name=record,
            date_of_birth="1980-01-01",
            sex="female",
            education_level="middle",
            symptom_intensity="5",
            gp="",
            other_symptoms="Written during a crash test.",
        )
        status, location, _body = self.client.open("/patients/new", fields)
        if status == 302 and "/patients/" in location:
            self.acknowledged.append(record)


def run_crash_test(database_url: str, runs: int, workdir: Path) -> CrashResult:
    """Prepare the database, then kill -9 the server `runs` times during saves."""
    port = free_port()
    env = server_env(database_url, workdir, port)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": env["SECRET_KEY"],
            "TOTP_ENCRYPTION_KEY": env["TOTP_ENCRYPTION_KEY"],
            "INSTANCE_PATH": str(workdir),
        }
    )
    with app.app_context():
        upgrade()
    cookie = _crash_user(app)
    client = PatientStream(Client(port, str(app.config["SESSION_COOKIE_NAME"]), cookie))
    server = Server(env, port)
    rng = random.Random(7)
    for _run in range(runs):
        server.start()
        killer = threading.Timer(rng.uniform(1.5, 3.0), server.kill)
        killer.start()
        while killer.is_alive():
            try:
                client.save_one()
            except (urllib.error.URLError, http.client.HTTPException, OSError, TimeoutError):
                # The server is gone, perhaps halfway through a response (IncompleteRead):
                # what was in flight is unacknowledged.
                time.sleep(0.01)
        killer.join()
    with app.app_context():
        stored = set(db.session.scalars(select(Patient.family_name)))
        lost = [record for record in client.acknowledged if record not in stored]
        if db.engine.dialect.name == "sqlite":
            integrity = str(db.session.execute(text("PRAGMA integrity_check")).scalar())
        else:
            integrity = "ok"  # PostgreSQL checks its own pages; the WAL replays on restart
        chain = audit.verify_chain()
        db.session.remove()
        db.engine.dispose()
    return CrashResult(runs, len(client.acknowledged), lost, integrity, chain.intact)


def main() -> int:
    """Run the long version and print the figure."""
    import tempfile

    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    backend = sys.argv[2] if len(sys.argv) > 2 else "sqlite"
    with tempfile.TemporaryDirectory() as scratch:
        url = (
            f"sqlite:///{Path(scratch) / 'crash.db'}"
            if backend == "sqlite"
            else os.environ.get(
                "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
            )
        )
        result = run_crash_test(url, runs, Path(scratch))
    print(
        f"acknowledged saves: {result.acknowledged}; integrity: {result.integrity}; "
        f"audit chain intact: {result.chain_intact}"
    )
    print(result.line())
    ok = target(
        f"{backend} crash: acknowledged saves lost in {runs} kill -9 runs",
        len(result.lost),
        "<=",
        0,
    )
    ok &= target(
        f"{backend} crash: integrity check and audit chain failures",
        int(result.integrity != "ok") + int(not result.chain_intact),
        "<=",
        0,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
