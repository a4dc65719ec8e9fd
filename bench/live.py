"""The app under real gunicorn on 127.0.0.1, and a plain HTTP client with a login cookie.

Shared by the crash test, the load run and the throughput bench. Only loopback addresses are
ever used.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import IO

from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import create_engine, make_url, text

from therapy.access.gate import SESSION_KEY
from therapy.extensions import db
from therapy.models import User
from therapy.services.accounts import login_sessions

ROOT = Path(__file__).resolve().parent.parent


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects instead of following them: a 302 is the acknowledgement of a save."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(database_url: str, workdir: Path, port: int, workers: int = 2) -> dict[str, str]:
    """The environment of a gunicorn run: its own database, keys and instance folder."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY="bench-secret-key-" + "x" * 32,
        TOTP_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        THERAPY_ENV="development",
        INSTANCE_PATH=str(workdir),
        WEB_CONCURRENCY=str(workers),
        BIND=f"127.0.0.1:{port}",
    )
    return env


class Server:
    """A WSGI app under gunicorn in its own process group, so kill -9 takes every worker."""

    def __init__(self, env: dict[str, str], port: int, app: str = "app:app") -> None:
        self.env, self.port, self.app = env, port, app
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> None:
        """Start gunicorn with the project's gunicorn.conf.py and wait until it answers.

        A loaded machine (two test suites and a browser side by side) can take a while to
        import the app in a new worker, so the wait is generous; a server that never answers
        is stopped, and the error carries what gunicorn said.
        """
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in _close_log)
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                "gunicorn.conf.py",
                self.app,
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/login", timeout=20):
                    return
            except urllib.error.HTTPError:
                return  # it answers (an app without /login says 404)
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        said = self._close_log()
        if self.process.poll() is None:
            self.kill()
        raise RuntimeError(f"gunicorn did not start: {said[-2000:]}")

    def _close_log(self) -> str:
        """What gunicorn wrote to stderr so far (the file is closed afterwards)."""
        log, self._log = self._log, None
        if log is None:
            return ""
        log.seek(0)
        said = log.read().decode(errors="replace")
        log.close()
        return said

    def worker_pids(self) -> list[int]:
        """The pids of gunicorn's workers (the children of its master)."""
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill(self) -> None:
        """SIGKILL the whole process group: no graceful shutdown, no flush."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self._close_log()

    def stop(self) -> None:
        """Stop gunicorn gracefully."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
            self._close_log()


def fresh_postgres_database(server_url: str, name: str) -> str:
    """An empty database on the PostgreSQL server (dropped first if a run left it behind)."""
    server = make_url(server_url)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def session_cookie(app: Flask, user: User) -> str:
    """A verified server-side session for the account, as the signed cookie's value.

    The benches measure saving, not logging in: the session is opened as the code step does.
    """
    token = login_sessions.start_session(user, verified=True, client_address="127.0.0.1")
    db.session.commit()
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return str(serializer.dumps({SESSION_KEY: token}))


class Client:
    """One browser: a cookie, and requests that report status, Location and body."""

    def __init__(self, port: int, cookie_name: str, cookie: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.cookie_name, self.cookie = cookie_name, cookie
        self.opener = urllib.request.build_opener(NoRedirect)

    def open(self, path: str, fields: dict[str, str] | None = None) -> tuple[int, str, str]:
        """GET the path, or POST the fields to it."""
        body = urllib.parse.urlencode(fields, doseq=True).encode() if fields is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 (loopback)
        request.add_header("Cookie", f"{self.cookie_name}={self.cookie}")
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                if name == self.cookie_name:
                    self.cookie = rest.split(";", 1)[0]
            text = response.read().decode("utf-8", "replace")
            return int(response.status), response.headers.get("Location") or "", text
