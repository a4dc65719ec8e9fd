"""Commands: demo codes only in a demo database, audit verification, no Server banner."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyotp
from flask import Flask
from sqlalchemy import select, text

from tests.factories import make_user
from therapy.audit.chain import record_event
from therapy.config import PROJECT_ROOT
from therapy.extensions import db
from therapy.models import Practice, User
from therapy.models.enums import AuditAction
from therapy.services.accounts import two_factor


def test_demo_code_refuses_a_real_database(app: Flask) -> None:
    user = make_user()
    db.session.add(Practice(name="A real practice", is_demo=False))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["demo-code", user.email])
    assert result.exit_code != 0
    assert "not the demo practice" in result.output
    assert not re.search(r"\b\d{6}\b", result.output)


def test_demo_code_refuses_an_empty_database(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["demo-code", "eva@demo.example"])
    assert result.exit_code != 0 and "not the demo practice" in result.output


def test_the_demo_practice_comes_enrolled_and_demo_code_logs_in(app: Flask) -> None:
    runner = app.test_cli_runner()
    seeded = runner.invoke(args=["seed-demo"])
    assert seeded.exit_code == 0 and "demo-code" in seeded.output
    accounts = db.session.scalars(select(User)).all()
    assert accounts and all(two_factor.is_enrolled(user) for user in accounts)
    result = runner.invoke(args=["demo-code", "EVA@demo.example"])
    assert result.exit_code == 0, result.output
    code = result.output.split()[0]
    eva = db.session.scalar(select(User).where(User.email == "eva@demo.example"))
    secret = two_factor.decrypt_secret(eva.totp_secret_encrypted or "")
    assert pyotp.TOTP(secret).verify(code, valid_window=1)


def test_demo_code_refuses_an_account_that_was_not_seeded(app: Flask) -> None:
    """An account added to a demo database (by its administrator, say) is a real login."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    added = make_user(email="new.colleague@demo.example")
    db.session.commit()
    assert two_factor.is_enrolled(added)
    for email in (added.email, "NEW.colleague@demo.example ", "nobody@demo.example"):
        result = runner.invoke(args=["demo-code", email])
        assert result.exit_code != 0, email
        assert "not one of the seeded demo accounts" in result.output
        assert not re.search(r"\b\d{6}\b", result.output), "no code is printed"
    for seeded in ("eva@demo.example", "daan@demo.example", "admin@demo.example"):
        assert runner.invoke(args=["demo-code", seeded]).exit_code == 0, seeded


def test_audit_verify_reports_intact_then_the_first_broken_link(app: Flask, backend: str) -> None:
    for n in range(3):
        record_event(AuditAction.READ, patient_id=n + 1)
    db.session.commit()
    runner = app.test_cli_runner()
    intact = runner.invoke(args=["audit", "verify"])
    assert intact.exit_code == 0 and "chain intact, 3 rows" in intact.output
    second = db.session.execute(text("SELECT id FROM audit_event ORDER BY id")).scalars().all()[1]
    change = text("UPDATE audit_event SET patient_id = 99 WHERE id = :id")
    if backend == "postgresql":
        # The schema outlives this test on PostgreSQL: switch the guard back on afterwards.
        db.session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
        db.session.execute(change, {"id": second})
        db.session.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only"))
    else:
        db.session.execute(text("DROP TRIGGER audit_event_no_update"))
        db.session.execute(change, {"id": second})
    db.session.commit()
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"chain broken at row {second}" in broken.output and "altered" in broken.output


def _free_port() -> int:
    configured = os.environ.get("TEST_SERVER_PORT")
    if configured:
        return int(configured)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_gunicorn_sends_no_server_banner(tmp_path: Path) -> None:
    """Start the production server briefly (loopback only) and read its response headers."""
    port = _free_port()
    env = dict(
        os.environ,
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        THERAPY_ENV="development",
        INSTANCE_PATH=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'server.db'}",
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "--config", "gunicorn.conf.py", "app:app"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        headers = None
        deadline = time.monotonic() + 20
        while headers is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as reply:
                    headers = reply.headers
            except OSError:
                time.sleep(0.2)
        assert headers is not None, "gunicorn did not answer"
        assert "Server" not in headers
        assert "gunicorn" not in str(headers).lower()
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)
